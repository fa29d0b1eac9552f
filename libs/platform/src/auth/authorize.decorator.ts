import { SetMetadata } from '@nestjs/common';
import { Role } from './principal';

export const AUTHORIZED_ROLES = 'crc:authorized-roles';

/**
 * Which roles may call a route. Routes without it are refused (secure by default), except those
 * marked `@Public()`. Kiosk and staff principals are further held to the route's `:centerId`,
 * partners to its `:plan`.
 */
export const Authorize = (...roles: Role[]) => SetMetadata(AUTHORIZED_ROLES, roles);

export const Public = () => SetMetadata(AUTHORIZED_ROLES, 'public');

import { applyDecorators, SetMetadata } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import { Role } from './principal';

export const AUTHORIZED_ROLES = 'crc:authorized-roles';

/**
 * Which roles may call a route. Routes without it are refused (secure by default), except those
 * marked `@Public()`. Kiosk and staff principals are further held to the route's `:centerId`,
 * partners to its `:plan`.
 */
export const Authorize = (...roles: Role[]) => SetMetadata(AUTHORIZED_ROLES, roles);

/**
 * The OpenAPI document says a public route needs no credential (`security: []`) rather than
 * leaving it unsaid. Nest's scanner drops an empty `@ApiSecurity`, so it goes on the operation
 * itself, merged with whatever `@ApiOperation` says, in either order.
 */
const DocumentedAsPublic: MethodDecorator = (_target, _key, descriptor) => {
  const operation = (Reflect.getMetadata(DECORATORS.API_OPERATION, descriptor.value as object) ?? {}) as Record<string, unknown>;
  Reflect.defineMetadata(DECORATORS.API_OPERATION, { ...operation, security: [] }, descriptor.value as object);
};

/** Open to anyone, with no token: the guard lets it through, and the OpenAPI document says so. */
export const Public = () => applyDecorators(SetMetadata(AUTHORIZED_ROLES, 'public'), DocumentedAsPublic);

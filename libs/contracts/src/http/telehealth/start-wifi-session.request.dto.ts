import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import { ROOM_PATTERN } from '../../wifi-sessions';

/** Loose on purpose: separators and case are normalised by the service, which then checks it strictly. */
export const DEVICE_ID_INPUT_PATTERN = /^\s*[0-9A-Fa-f][0-9A-Fa-f:.-]{10,16}[0-9A-Fa-f]\s*$/;

export const DEVICE_ID_DESCRIPTION =
  'MAC address of the device, in any usual notation (`AA:BB:CC:DD:EE:FF`, `aa-bb-cc-dd-ee-ff`, `aabb.ccdd.eeff`, `aabbccddeeff`). ' +
  'Only a keyed hash of it is kept; it is never stored, logged, published or echoed in the clear.';

export class StartWifiSessionRequest {
  @ApiProperty({ format: 'uuid', example: '0b6c8a52-3f0e-4d35-9a51-3c1a5b8f2e10', description: 'The visit from the check-in service.' })
  @IsUUID()
  visitId!: string;

  @ApiPropertyOptional({ example: 'Room 2', description: 'The private room lent for the appointment, if any.', maxLength: 40, pattern: ROOM_PATTERN.source })
  @IsOptional()
  @Matches(ROOM_PATTERN, { message: 'room must be 1 to 40 letters, digits, spaces, dots, dashes or underscores' })
  room?: string;

  @ApiPropertyOptional({
    example: '3C:22:FB:12:9A:0E',
    description: `${DEVICE_ID_DESCRIPTION} A device has at most one session in progress per center.`,
    pattern: DEVICE_ID_INPUT_PATTERN.source,
  })
  @IsOptional()
  @Matches(DEVICE_ID_INPUT_PATTERN, { message: 'deviceId must be a MAC address' })
  deviceId?: string;
}

export class DeviceHeartbeatRequest {
  @ApiProperty({ example: '3c-22-fb-12-9a-0e', description: DEVICE_ID_DESCRIPTION, pattern: DEVICE_ID_INPUT_PATTERN.source })
  @Matches(DEVICE_ID_INPUT_PATTERN, { message: 'deviceId must be a MAC address' })
  deviceId!: string;
}

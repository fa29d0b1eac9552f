import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WIFI_SESSION_END_REASONS, WIFI_SESSION_STATUSES, WifiSessionEndReason, WifiSessionStatus } from '../../wifi-sessions';

export class WifiSessionResponse {
  @ApiProperty({ format: 'uuid' })
  sessionId!: string;

  @ApiProperty({ example: 'crc-el-monte' })
  centerId!: string;

  @ApiProperty({ format: 'uuid' })
  visitId!: string;

  @ApiProperty({ enum: WIFI_SESSION_STATUSES })
  status!: WifiSessionStatus;

  @ApiProperty({ example: '2026-11-28', description: 'The date the session started, in America/Los_Angeles.' })
  serviceDate!: string;

  @ApiPropertyOptional({ example: 'Room 2' })
  room?: string;

  @ApiProperty({ description: 'Whether a device was registered (its identifier is never echoed).' })
  deviceRegistered!: boolean;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  lastHeartbeatAt?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'For a time-out: the last heartbeat, or the start when there was none.' })
  endedAt?: string;

  @ApiPropertyOptional({ enum: WIFI_SESSION_END_REASONS })
  endedBy?: WifiSessionEndReason;

  @ApiPropertyOptional({ description: 'Whole minutes, once ended, as published in `wifi-session-ended`.' })
  durationMinutes?: number;
}

export class WifiSessionInProgress extends WifiSessionResponse {
  @ApiProperty({ description: 'Whole minutes from the start until now (or until the last heartbeat, for a session already idle too long).' })
  minutesSoFar!: number;
}

export class WifiCenterViewResponse {
  @ApiProperty({ example: 'crc-el-monte' })
  centerId!: string;

  @ApiProperty({ example: '2026-11-28', description: 'Today in America/Los_Angeles.' })
  serviceDate!: string;

  @ApiProperty({ format: 'date-time' })
  asOf!: string;

  @ApiProperty({ type: WifiSessionInProgress, isArray: true, description: 'Sessions in progress, oldest first.' })
  inProgress!: WifiSessionInProgress[];

  @ApiProperty({ description: 'Sessions started today.' })
  sessionsToday!: number;

  @ApiProperty({ description: "Whole minutes of today's sessions: ended ones as published, those in progress so far." })
  minutesUsedToday!: number;
}

import { IsIn, IsInt, IsOptional, IsUUID, Matches, Min } from 'class-validator';
import { ROOM_PATTERN, WIFI_SESSION_END_REASONS, WifiSessionEndReason } from '../../wifi-sessions';
import { IsCenterId, IsServiceDate, IsDateTime } from '../common.validators';
import { defineEvent } from '../event-definition';

/** A Wi-Fi session ended; published once per session, it carries the session's minutes. */
export class WifiSessionEndedV1 {
  @IsUUID()
  sessionId!: string;

  @IsUUID()
  visitId!: string;

  @IsCenterId()
  centerId!: string;

  /** The service date of the session's start (a session past midnight stays on its day). */
  @IsServiceDate()
  serviceDate!: string;

  @IsOptional()
  @Matches(ROOM_PATTERN)
  room?: string;

  @IsDateTime()
  startedAt!: string;

  /** When it ended. For TIMEOUT: the last heartbeat (or the start when there was none), not when the sweep noticed. */
  @IsDateTime()
  occurredAt!: string;

  /** When the service recorded the end. */
  @IsDateTime()
  recordedAt!: string;

  @IsIn(WIFI_SESSION_END_REASONS)
  endedBy!: WifiSessionEndReason;

  /** Whole minutes from `startedAt` to `occurredAt`; see `wholeMinutesBetween`. */
  @IsInt()
  @Min(0)
  durationMinutes!: number;
}

export const WifiSessionEndedV1Event = defineEvent({
  service: 'telehealth',
  name: 'wifi-session-ended',
  version: 1,
  payload: WifiSessionEndedV1,
  partitionKey: (data) => data.visitId,
  subject: (data) => data.sessionId,
});

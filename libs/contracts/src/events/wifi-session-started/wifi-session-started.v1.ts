import { IsOptional, IsUUID, Matches } from 'class-validator';
import { ROOM_PATTERN } from '../../wifi-sessions';
import { IsCenterId, IsServiceDate, IsDateTime } from '../common.validators';
import { defineEvent } from '../event-definition';

/** A member began using the center's Wi-Fi for a telehealth appointment. No device identifier is published. */
export class WifiSessionStartedV1 {
  @IsUUID()
  sessionId!: string;

  @IsUUID()
  visitId!: string;

  @IsCenterId()
  centerId!: string;

  /** The date the session started, in America/Los_Angeles. */
  @IsServiceDate()
  serviceDate!: string;

  /** The private room lent for the appointment, if any. */
  @IsOptional()
  @Matches(ROOM_PATTERN)
  room?: string;

  @IsDateTime()
  occurredAt!: string;

  @IsDateTime()
  recordedAt!: string;
}

export const WifiSessionStartedV1Event = defineEvent({
  service: 'telehealth',
  name: 'wifi-session-started',
  version: 1,
  payload: WifiSessionStartedV1,
  partitionKey: (data) => data.visitId,
  subject: (data) => data.sessionId,
});

import { IsUUID } from 'class-validator';
import { IsCenterId, IsServiceDate, IsDateTime } from '../common.validators';
import { defineEvent } from '../event-definition';

export class VisitCheckedOutV1 {
  @IsUUID()
  visitId!: string;

  @IsCenterId()
  centerId!: string;

  /** The service date of the check-in this closes (a visit belongs to one service date). */
  @IsServiceDate()
  serviceDate!: string;

  @IsDateTime()
  checkedInAt!: string;

  /** When the visitor left, by the kiosk's clock. */
  @IsDateTime()
  occurredAt!: string;

  @IsDateTime()
  recordedAt!: string;
}

export const VisitCheckedOutV1Event = defineEvent({
  service: 'checkin',
  name: 'visit-checked-out',
  version: 1,
  payload: VisitCheckedOutV1,
  partitionKey: (data) => data.visitId,
});

export interface CheckOutVisitorCommand {
  centerId: string;
  kioskCredentialId: string;
  visitId: string;
  /** When the visitor left by the kiosk's clock; now when absent. */
  occurredAt?: Date;
  idempotencyKey?: string;
}

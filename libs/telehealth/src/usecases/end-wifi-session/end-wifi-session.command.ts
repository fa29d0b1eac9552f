export interface EndWifiSessionCommand {
  centerId: string;
  /** The kiosk (CLIENT) or staff (STAFF) credential ending it. */
  credentialId: string;
  endedBy: 'CLIENT' | 'STAFF';
  sessionId: string;
  idempotencyKey?: string;
}

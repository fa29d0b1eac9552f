export interface StartWifiSessionCommand {
  centerId: string;
  kioskCredentialId: string;
  visitId: string;
  room?: string;
  /** A MAC address as the kiosk gives it; hashed at once, never kept. */
  deviceId?: string;
  idempotencyKey?: string;
}

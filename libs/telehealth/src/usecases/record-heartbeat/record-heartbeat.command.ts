export interface RecordHeartbeatCommand {
  centerId: string;
  kioskCredentialId: string;
  /** The session, as the kiosk knows it; or: */
  sessionId?: string;
  /** the device, as the access point knows it (a MAC address, hashed at once). */
  deviceId?: string;
  idempotencyKey?: string;
}

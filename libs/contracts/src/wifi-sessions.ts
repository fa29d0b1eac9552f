export const WIFI_SESSION_STATUSES = ['ACTIVE', 'ENDED'] as const;
export type WifiSessionStatus = (typeof WIFI_SESSION_STATUSES)[number];

/** CLIENT: the kiosk ended it. STAFF: staff closed it. TIMEOUT: no heartbeat for the idle timeout. */
export const WIFI_SESSION_END_REASONS = ['CLIENT', 'STAFF', 'TIMEOUT'] as const;
export type WifiSessionEndReason = (typeof WIFI_SESSION_END_REASONS)[number];

/** A room name as the center labels it, e.g. `Room 2`. */
export const ROOM_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$/;

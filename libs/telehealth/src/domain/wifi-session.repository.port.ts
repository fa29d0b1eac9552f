import type { OutboxEntry } from '@crc/platform';
import { WifiSession } from './wifi-session';

export interface StoredWifiSession {
  session: WifiSession;
  version: number;
  requestFingerprint?: string;
  endOperationId?: string;
}

/** What a decision on a stored session asks to be written (nothing, when it only answers). */
export interface SessionWrite<R> {
  result: R;
  write?: { session: WifiSession; events: OutboxEntry[]; endOperationId?: string };
}

export interface DeviceClaim {
  sessionId: string;
  claimedAt: Date;
}

/**
 * Where Wi-Fi sessions are kept, as the use cases need them. A write stores the change and the
 * events announcing it together, and sees them published (the aggregate store behind it does both).
 * Also the injection token: Nest resolves an abstract class like any other.
 */
export abstract class WifiSessionRepositoryPort {
  /** `exists` for a retried request: nothing is written. */
  abstract insert(session: WifiSession, events: OutboxEntry[], meta: { startedBy: string; requestFingerprint: string }): Promise<'inserted' | 'exists'>;
  abstract findAtCenter(centerId: string, sessionId: string): Promise<StoredWifiSession | undefined>;
  /** Lets `decide` work out a change of the stored session and writes it; a lost race with another writer decides again. */
  abstract modify<R>(centerId: string, sessionId: string, decide: (stored: StoredWifiSession | undefined) => SessionWrite<R>): Promise<R>;
  /** Publishes what of the session's events is not out yet (a replayed end that may follow a crash). */
  abstract publishPending(sessionId: string): void;
  /** Sessions in progress at a center, oldest first. */
  abstract listActive(centerId: string, limit: number): Promise<WifiSession[]>;
  /** Every session a center started on a service date. */
  abstract listOfDay(centerId: string, serviceDate: string, limit: number): Promise<WifiSession[]>;
  /** Active sessions (any center) with no sign of life since `cutoff`: candidates for the time-out. */
  abstract findIdle(cutoff: Date, limit: number): Promise<Array<{ centerId: string; sessionId: string }>>;
}

/** The devices taken at each center: one session per device at a time. */
export abstract class DeviceClaimRepositoryPort {
  /** Claims the device for the session; returns whoever holds it afterwards (the session itself when the claim succeeded). */
  abstract claim(claimId: string, sessionId: string, at: Date): Promise<DeviceClaim>;
  abstract find(claimId: string): Promise<DeviceClaim | undefined>;
  /** Frees the device, only if this session still holds it (never a newer claim). */
  abstract release(claimId: string, sessionId: string): Promise<void>;
}

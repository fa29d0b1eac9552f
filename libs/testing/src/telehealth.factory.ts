import { randomBytes } from 'node:crypto';
import type { StartWifiSessionRequest } from '@crc/contracts';

/** A random, locally administered unicast MAC address, `AA:BB:CC:DD:EE:FF` style. */
export function aMacAddress(): string {
  const bytes = randomBytes(6);
  bytes[0] = (bytes[0] & 0xfc) | 0x02;
  return [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/** A request to start a Wi-Fi session for a visit; override what the test is about. */
export function aWifiSession(visitId: string, overrides: { room?: string; deviceId?: string } = {}): StartWifiSessionRequest {
  return { visitId, ...overrides };
}

import { createHmac } from 'node:crypto';
import { InvalidDeviceIdError } from './wifi-session.errors';

/** The notations access points and operating systems use for a 48-bit MAC address. */
const MAC_NOTATIONS = [
  /^([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2})$/,
  /^([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})$/,
  /^([0-9a-f]{4})\.([0-9a-f]{4})\.([0-9a-f]{4})$/,
  /^([0-9a-f]{12})$/,
];

/** One spelling per device (`aa:bb:cc:dd:ee:ff`), so that the kiosk and the access point hash it alike. */
export function normaliseMacAddress(raw: string): string {
  const lower = raw.trim().toLowerCase();
  const match = MAC_NOTATIONS.map((notation) => notation.exec(lower)).find(Boolean);
  if (!match) throw new InvalidDeviceIdError();
  return (match.slice(1).join('').match(/../g) as string[]).join(':');
}

/**
 * The only form in which a device identifier is kept: HMAC-SHA256 under a secret key, hex.
 * Keyed, because the MAC space is small enough to reverse a plain hash by brute force.
 */
export function hashDeviceId(rawMacAddress: string, key: string): string {
  return createHmac('sha256', key).update(normaliseMacAddress(rawMacAddress), 'utf8').digest('hex');
}

/** The claim that makes a device's session unique per center: `<centerId>:<device hash>`. */
export function deviceClaimId(centerId: string, deviceHash: string): string {
  return `${centerId}:${deviceHash}`;
}

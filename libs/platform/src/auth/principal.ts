import type { PartnerPlan } from '@crc/contracts';

export type Role = 'kiosk' | 'staff' | 'partner' | 'ops';

/** Who is calling, as established from the bearer token. */
export type Principal =
  | { role: 'kiosk'; credentialId: string; centerId: string }
  | { role: 'staff'; credentialId: string; centerId: string }
  | { role: 'partner'; credentialId: string; plan: PartnerPlan }
  | { role: 'ops'; credentialId: string };

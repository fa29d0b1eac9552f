import { VISIT_PURPOSES } from '@crc/contracts';
import { LoadRequest } from '../support/load-generator';
import { SeededRandom } from '../support/seeded-random';

export interface RosterMember {
  memberId: string;
  cin: string;
  plan: 'LA_CARE' | 'BLUE_SHIELD_PROMISE';
  productLine: string;
  planPartner?: string;
}

/** Members of both plans' rosters, the same for the same seed. */
export function generateRoster(random: SeededRandom, size: number): RosterMember[] {
  return Array.from({ length: size }, (_, i) => {
    const plan = i % 3 === 2 ? 'BLUE_SHIELD_PROMISE' : 'LA_CARE';
    return {
      memberId: `${plan === 'LA_CARE' ? 'LAC' : 'BSP'}${String(200000 + i)}`,
      cin: `${String(10000000 + i).slice(-8)}${String.fromCharCode(65 + random.int(26))}`,
      plan,
      productLine: plan === 'LA_CARE' ? random.pick(['MEDI_CAL', 'LA_CARE_COVERED', 'MEDICARE_PLUS']) : random.pick(['MEDI_CAL', 'MEDICARE']),
      ...(plan === 'LA_CARE' && random.chance(0.2) ? { planPartner: 'BLUE_SHIELD_PROMISE' } : {}),
    };
  });
}

/** The roster upload of one plan, as NDJSON. */
export function rosterNdjson(members: RosterMember[], plan: string): string {
  return members
    .filter((m) => m.plan === plan)
    .map((m) =>
      JSON.stringify({
        memberId: m.memberId,
        cin: m.cin,
        productLine: m.productLine,
        ...(m.planPartner ? { planPartner: m.planPartner } : {}),
        coverageStart: '2024-01-01',
      }),
    )
    .join('\n');
}

/**
 * Kiosk check-ins as the front desks send them: every center's kiosk with its own token, a fresh
 * Idempotency-Key per check-in, visitors of the rosters (by member id or CIN) naming their plan.
 */
export function kioskCheckIns(random: SeededRandom, kiosks: Array<{ centerId: string; token: string }>, roster: RosterMember[]): (i: number) => LoadRequest {
  return (i) => {
    const kiosk = kiosks[i % kiosks.length];
    const member = random.pick(roster);
    const body = {
      visitor: { memberId: random.chance(0.3) ? member.cin : member.memberId, selfReportedPlan: member.plan },
      purposes: [random.pick(VISIT_PURPOSES)],
    };
    return {
      path: `/v1/centers/${kiosk.centerId}/check-ins`,
      headers: { authorization: `Bearer ${kiosk.token}`, 'content-type': 'application/json', 'idempotency-key': random.uuid() },
      body: JSON.stringify(body),
    };
  };
}

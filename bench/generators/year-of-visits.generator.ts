import { MongoClient } from 'mongodb';
import {
  dayTallyId,
  dayTallyOf,
  daySummaryOf,
  encodeVisitorKeys,
  encodeVisitTally,
  feedBlockKey,
  feedBlockOf,
  FhirPseudonyms,
  monthOf,
  StoredDayTally,
  tallyKey,
  visitTallyOf,
} from '@crc/attribution';
import { ATTRIBUTION_RULE_VERSION, serviceDateOf, startOfServiceDate, VISIT_PURPOSES } from '@crc/contracts';
import { RosterMember } from './kiosk-traffic.generator';
import { SeededRandom } from '../support/seeded-random';

export interface YearOfVisits {
  visits: number;
  feedRecords: Record<string, number>;
  today: string;
}

/**
 * A year of attributed visits for the centers, written straight into reporting's database in bulk,
 * shaped as reporting writes them: visit records, the dashboard's tallies and the plans' feeds.
 * `pseudonymKey` must be the reporting service's FHIR_PSEUDONYM_KEY (the tallies' visitor keys).
 * About 60% of visitors are members of a plan (their visits are in that plan's feed).
 */
export async function generateYearOfVisits(
  mongoUri: string,
  database: string,
  count: number,
  random: SeededRandom,
  centers: string[],
  roster: RosterMember[],
  onProgress: (done: number) => void,
  pseudonymKey: string,
): Promise<YearOfVisits> {
  const pseudonyms = new FhirPseudonyms(pseudonymKey);
  const tallies = new Map<string, StoredDayTally & { _id: string; month: string; visits: Record<string, string>; visitors: Record<string, string> }>();
  const client = await MongoClient.connect(mongoUri, { retryWrites: false });
  const db = client.db(database);
  const now = Date.now();
  const today = serviceDateOf(new Date(now));
  const firstDay = startOfServiceDate(today).getTime() - 364 * 86_400_000;
  const seq: Record<string, number> = { LA_CARE: 0, BLUE_SHIELD_PROMISE: 0 };
  try {
    let visits: object[] = [];
    let feed: object[] = [];
    const flush = async () => {
      await Promise.all([
        visits.length ? db.collection('visit_records').insertMany(visits as never[], { ordered: false }) : undefined,
        feed.length ? db.collection('utilization_records').insertMany(feed as never[], { ordered: false }) : undefined,
      ]);
      visits = [];
      feed = [];
    };
    for (let i = 0; i < count; i++) {
      // Spread evenly over the year, opening hours 8:00 to 18:00 in Los Angeles (start of day + 8 to 18 h).
      const day = Math.floor((i / count) * 365);
      const checkedIn = Math.min(now - 60_000, firstDay + day * 86_400_000 + (8 + random.next() * 10) * 3_600_000);
      const checkedInAt = new Date(checkedIn);
      const checkedOutAt = random.chance(0.95) ? new Date(checkedIn + (20 + random.int(100)) * 60_000) : undefined;
      const serviceDate = serviceDateOf(checkedInAt);
      const visitId = random.uuid();
      const centerId = random.pick(centers);
      const purposes = [random.pick(VISIT_PURPOSES)];
      const member = random.chance(0.6) ? random.pick(roster) : undefined;
      const plan = member?.plan ?? 'COMMUNITY';
      const attribution = member
        ? {
            plan,
            basis: 'ELIGIBILITY',
            rule: 1,
            ruleVersion: ATTRIBUTION_RULE_VERSION,
            productLine: member.productLine,
            rosterPlan: member.plan,
            flags: [],
            attributedAt: checkedInAt,
          }
        : { plan, basis: 'NONE', rule: 4, ruleVersion: ATTRIBUTION_RULE_VERSION, flags: [], attributedAt: checkedInAt };
      const record = {
        _id: visitId,
        centerId,
        serviceDate,
        checkInSeen: true,
        checkedInAt,
        ...(checkedOutAt ? { checkedOutAt } : {}),
        purposes,
        ...(member ? { memberId: member.memberId, selfReportedPlan: member.plan } : { selfReportedPlan: 'NONE' }),
        appliedEventIds: [random.uuid()],
        attribution,
        updatedAt: checkedInAt,
      };
      visits.push(record);
      const tallyId = dayTallyId(serviceDate, centerId);
      const tally = tallies.get(tallyId) ?? {
        _id: tallyId,
        centerId,
        serviceDate,
        month: monthOf(serviceDate),
        visits: {},
        visitors: {},
        helpCases: {},
        wifiSessions: {},
      };
      tallies.set(tallyId, tally);
      tally.visits[tallyKey(visitId)] = encodeVisitTally(visitTallyOf(record as never)!);
      if (member) tally.visitors[tallyKey(visitId)] = pseudonyms.visitorKey(member.memberId);
      if (member) {
        feed.push({
          _id: `${plan}:${visitId}:1`,
          feedPlan: plan,
          seq: ++seq[plan],
          feedBlock: feedBlockKey(plan as 'LA_CARE', feedBlockOf(seq[plan])),
          recordId: `${visitId}:1`,
          visitId,
          revision: 1,
          status: 'ACTIVE',
          centerId,
          serviceDate,
          plan,
          basis: 'ELIGIBILITY',
          productLine: member.productLine,
          flags: [],
          ruleVersion: ATTRIBUTION_RULE_VERSION,
          memberId: member.memberId,
          purposes,
          checkedInAt,
          ...(checkedOutAt ? { checkedOutAt } : {}),
          publishedAt: checkedOutAt ?? checkedInAt,
        });
      }
      if (visits.length === 2000) {
        await flush();
        onProgress(i + 1);
      }
    }
    await flush();
    const allTallies = [...tallies.values()].map((t) => ({ ...t, version: 1 }));
    for (let i = 0; i < allTallies.length; i += 500) {
      const page = allTallies.slice(i, i + 500);
      await db.collection('dashboard_tallies').insertMany(page as never[]);
      await db.collection('dashboard_day_summaries').insertMany(
        page.map((t) => {
          const { visitorKeys, ...summary } = daySummaryOf(dayTallyOf(t));
          return { _id: t._id, serviceDate: t.serviceDate, month: t.month, version: 1, summary, visitorKeys: encodeVisitorKeys(visitorKeys ?? []) };
        }) as never[],
      );
    }
    await db
      .collection<{ _id: string; value: number }>('sequences')
      .insertMany(Object.entries(seq).map(([plan, value]) => ({ _id: `utilization:${plan}`, value })));
    onProgress(count);
  } finally {
    await client.close();
  }
  return { visits: count, feedRecords: seq, today };
}

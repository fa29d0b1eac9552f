import { createHash } from 'node:crypto';
import { AttributedPlan, AttributionFlag, isPartnerPlan, UtilizationRecordedV1, VisitPurpose } from '@crc/contracts';
import { Attribution } from './attribution-rules';

/** What the feeds say about a visit besides its attribution. */
export interface VisitFacts {
  visitId: string;
  centerId: string;
  serviceDate: string;
  checkedInAt: Date;
  checkedOutAt?: Date;
  purposes: VisitPurpose[];
  memberId?: string;
  /** Membership-help cases opened for the visit. */
  membershipHelp?: Array<{ caseType: string; outcome?: string; minutes?: number }>;
  telehealthWifiMinutes?: number;
}

/** The last feed revision a visit produced. */
export interface PublishedRevision {
  plan: AttributedPlan;
  revision: number;
  contentHash: string;
  /**
   * How the attribution behind it was recorded. Hashes stored before rule version 2 also covered
   * these fields, which no feed shows; to compare with such a hash they are taken from here.
   */
  recorded?: Pick<Attribution, 'rule' | 'ruleVersion' | 'rosterPlan'>;
}

/** An entry for one plan's feed: the payload of its `crc.reporting.utilization.<plan>.v1` event. */
export type FeedEntry = UtilizationRecordedV1;

export const recordIdOf = (visitId: string, revision: number) => `${visitId}:${revision}`;

/** A waiting conflict is operations' business: the plan keeping the visit is not told while it waits. */
export const feedFlags = (attribution: Attribution): AttributionFlag[] => attribution.flags.filter((f) => f !== 'DUAL_COVERAGE_CONFLICT');

/** Hashes of what the feeds show start with this; older hashes (no prefix) also covered rule, rule version and roster plan. */
const FEED_CONTENT_HASH = 'f2:';

function hashOf(facts: VisitFacts, attribution: Attribution, unseen: Pick<Attribution, 'rule' | 'ruleVersion' | 'rosterPlan'> | undefined): string {
  const content: Array<string | number> = [
    attribution.plan,
    attribution.basis,
    ...(unseen ? [unseen.rule, unseen.ruleVersion] : []),
    attribution.productLine ?? '',
    ...(unseen ? [unseen.rosterPlan ?? ''] : []),
    attribution.planPartner ?? '',
    feedFlags(attribution).join('+'),
    facts.centerId,
    facts.serviceDate,
    facts.checkedInAt.toISOString(),
    facts.checkedOutAt?.toISOString() ?? '',
    [...facts.purposes].sort().join('+'),
    facts.memberId ?? '',
  ];
  // Only when there is something: visits without these services keep the hash they always had.
  if (facts.membershipHelp?.length) content.push(JSON.stringify(facts.membershipHelp));
  if (facts.telehealthWifiMinutes) content.push(`wifi:${facts.telehealthWifiMinutes}`);
  const digest = createHash('sha256').update(JSON.stringify(content)).digest('base64url');
  return unseen ? digest : `${FEED_CONTENT_HASH}${digest}`;
}

/**
 * Whether the feeds would show the same as they do now. Only what a feed shows counts: the rule
 * number, the rule version and the roster behind it are not content, so re-evaluating under a new
 * rule version that says the same thing is no correction.
 */
function unchanged(previous: PublishedRevision, facts: VisitFacts, attribution: Attribution): boolean {
  if (previous.contentHash.startsWith(FEED_CONTENT_HASH)) return previous.contentHash === hashOf(facts, attribution, undefined);
  return previous.recorded !== undefined && previous.contentHash === hashOf(facts, attribution, previous.recorded);
}

/**
 * Decides what the feeds must say after a visit's attribution or facts changed. Nothing is
 * overwritten: a change is a new revision; the plan that had the visit before gets a VOIDED entry
 * superseding its record, the plan that has it now an ACTIVE one. Community visits produce no
 * entries (plans see them only as counts). Returns undefined when nothing published would change.
 */
export function nextRevision(
  previous: PublishedRevision | undefined,
  facts: VisitFacts,
  attribution: Attribution,
): { entries: FeedEntry[]; published: PublishedRevision } | undefined {
  if (previous && unchanged(previous, facts, attribution)) return undefined;
  const hash = hashOf(facts, attribution, undefined);
  const revision = (previous?.revision ?? 0) + 1;
  const recordId = recordIdOf(facts.visitId, revision);
  const superseded = previous ? recordIdOf(facts.visitId, previous.revision) : undefined;
  const visitFacts = {
    visitId: facts.visitId,
    revision,
    recordId,
    centerId: facts.centerId,
    serviceDate: facts.serviceDate,
    purposes: facts.purposes,
    checkedInAt: facts.checkedInAt.toISOString(),
    ...(facts.checkedOutAt ? { checkedOutAt: facts.checkedOutAt.toISOString() } : {}),
    ...(facts.membershipHelp?.length ? { membershipHelp: facts.membershipHelp } : {}),
    ...(facts.telehealthWifiMinutes ? { telehealthWifiMinutes: facts.telehealthWifiMinutes } : {}),
  };
  const entries: FeedEntry[] = [];
  if (previous && isPartnerPlan(previous.plan) && previous.plan !== attribution.plan) {
    // Minimal disclosure: the former plan learns only that its record is withdrawn.
    entries.push({
      ...visitFacts,
      feedPlan: previous.plan,
      supersedes: superseded,
      status: 'VOIDED',
      plan: previous.plan,
      basis: 'NONE',
      flags: [],
      ruleVersion: attribution.ruleVersion,
    });
  }
  if (isPartnerPlan(attribution.plan)) {
    entries.push({
      ...visitFacts,
      feedPlan: attribution.plan,
      ...(previous?.plan === attribution.plan ? { supersedes: superseded } : {}),
      status: 'ACTIVE',
      plan: attribution.plan,
      basis: attribution.basis,
      ...(attribution.productLine ? { productLine: attribution.productLine } : {}),
      ...(attribution.planPartner ? { planPartner: attribution.planPartner } : {}),
      flags: feedFlags(attribution),
      ruleVersion: attribution.ruleVersion,
      ...(facts.memberId ? { memberId: facts.memberId } : {}),
    });
  }
  return { entries, published: { plan: attribution.plan, revision, contentHash: hash } };
}

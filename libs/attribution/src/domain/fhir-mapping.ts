import { createHmac } from 'node:crypto';
import { memberIdType, PartnerPlan, UtilizationRecord } from '@crc/contracts';
import { FhirCanonicals, VISIT_PURPOSE_CONCEPTS } from './fhir-definitions';
import { narrative, paragraph } from './fhir-narrative';

/**
 * The utilization feed as FHIR R4 resources, for plans whose pipelines load FHIR Bulk Data.
 * Identifiers use our own URN systems; codes and extensions are the network's own, published as
 * CodeSystems and StructureDefinitions under the deployment's canonical base (fhir-definitions.ts,
 * `FhirCanonicals`). One Encounter per visit, as its current revision says;
 * members are Patients with pseudonymous ids (see FhirPseudonyms): the member id or CIN is only
 * ever in `Patient.identifier`, never in an id or a reference.
 */
export const FHIR_SYSTEMS = {
  memberId: 'urn:crc-network:member-id',
  cin: 'urn:crc-network:medi-cal-cin',
  visitId: 'urn:crc-network:visit-id',
  recordId: 'urn:crc-network:utilization-record-id',
  centerId: 'urn:crc-network:center-id',
  plan: 'urn:crc-network:plan',
} as const;

export const FHIR_TYPES = ['Encounter', 'Patient', 'Coverage'] as const;
export type FhirType = (typeof FHIR_TYPES)[number];

const PLAN_NAMES: Record<PartnerPlan, string> = { LA_CARE: 'L.A. Care Health Plan', BLUE_SHIELD_PROMISE: 'Blue Shield of California Promise Health Plan' };

/**
 * Resource ids for members that reveal nothing: HMAC-SHA256 under a secret key of the plan and the
 * member id (and, for a Coverage, the product line). Stable per plan, so a plan's repeated exports
 * update the same Patient; without the key nobody can test a member id against them, and the same
 * member has unrelated ids in the two plans' exports. 64 hex digits: a FHIR id's full length.
 */
/** Injection token of reporting's FhirPseudonyms (one key, configured as FHIR_PSEUDONYM_KEY). */
export const FHIR_PSEUDONYMS = Symbol('FHIR_PSEUDONYMS');

export class FhirPseudonyms {
  constructor(private readonly key: string) {
    if (key.length < 32) throw new Error('the FHIR pseudonym key must be at least 32 characters');
  }

  private of(...parts: string[]): string {
    return createHmac('sha256', this.key).update(JSON.stringify(parts)).digest('hex');
  }

  patientId(plan: PartnerPlan, memberId: string): string {
    return this.of('Patient', plan, memberId);
  }

  coverageId(plan: PartnerPlan, memberId: string, productLine: string): string {
    return this.of('Coverage', plan, memberId, productLine);
  }

  /**
   * Tells the dashboard's visits of one visitor apart without keeping the member id (never leaves
   * reporting). 64 bits: short, since each day's summary carries one per visitor, and two members
   * of a network-sized roster share one with a probability of about 1 in 10^9.
   */
  visitorKey(memberId: string): string {
    return this.of('DashboardVisitor', memberId).slice(0, 16);
  }
}

/** R4 Encounter.status: a voided visit was entered in error for this plan; otherwise by check-out. */
export function encounterStatus(record: Pick<UtilizationRecord, 'status' | 'checkedOutAt'>): 'entered-in-error' | 'finished' | 'in-progress' {
  return record.status === 'VOIDED' ? 'entered-in-error' : record.checkedOutAt ? 'finished' : 'in-progress';
}

const hasCoverage = (record: UtilizationRecord): record is UtilizationRecord & { memberId: string; productLine: string } =>
  record.status === 'ACTIVE' && !!record.memberId && !!record.productLine && record.basis === 'ELIGIBILITY';

/**
 * A visit's Encounter, from the latest revision of it in the plan's feed. Its id is the visit id;
 * `meta.versionId` is the revision; its extensions and codings name the deployment's `canonicals`.
 */
export function toFhirEncounter(
  record: UtilizationRecord,
  feedPlan: PartnerPlan,
  centerName: string,
  ids: FhirPseudonyms,
  canonicals: FhirCanonicals,
): Record<string, unknown> {
  const attribution = [
    { url: 'plan', valueCode: record.plan },
    { url: 'basis', valueCode: record.basis },
    { url: 'ruleVersion', valueInteger: record.ruleVersion },
    ...(record.productLine ? [{ url: 'productLine', valueString: record.productLine }] : []),
    ...(record.planPartner ? [{ url: 'planPartner', valueString: record.planPartner }] : []),
    ...(record.supersedes ? [{ url: 'supersedes', valueString: record.supersedes }] : []),
    ...record.flags.map((flag) => ({ url: 'flag', valueCode: flag })),
  ];
  const coverage = hasCoverage(record)
    ? [{ url: canonicals.encounterCoverage, valueReference: { reference: `Coverage/${ids.coverageId(feedPlan, record.memberId, record.productLine)}` } }]
    : [];
  return {
    resourceType: 'Encounter',
    id: record.visitId,
    meta: { versionId: String(record.revision), lastUpdated: record.publishedAt },
    text: narrative(paragraph(encounterSummary(record, centerName))),
    extension: [{ url: canonicals.attribution, extension: attribution }, ...coverage],
    identifier: [
      { system: FHIR_SYSTEMS.visitId, value: record.visitId },
      { system: FHIR_SYSTEMS.recordId, value: record.recordId },
    ],
    status: encounterStatus(record),
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    type: record.purposes.map((purpose) => ({
      coding: [{ system: canonicals.visitPurpose, code: purpose, display: VISIT_PURPOSE_CONCEPTS[purpose].display }],
    })),
    // VOIDED records carry no member id; nor do records past the identity-retention period.
    ...(record.memberId ? { subject: { reference: `Patient/${ids.patientId(feedPlan, record.memberId)}` } } : {}),
    period: { start: record.checkedInAt, ...(record.checkedOutAt ? { end: record.checkedOutAt } : {}) },
    location: [{ location: { identifier: { system: FHIR_SYSTEMS.centerId, value: record.centerId }, display: centerName } }],
  };
}

/** What the Encounter's narrative says: the visit as a person would describe it, without the member. */
function encounterSummary(record: UtilizationRecord, centerName: string): string {
  const purposes = record.purposes.map((p) => VISIT_PURPOSE_CONCEPTS[p].display).join(', ');
  const period = record.checkedOutAt ? `from ${record.checkedInAt} to ${record.checkedOutAt}` : `from ${record.checkedInAt}, not checked out yet`;
  const attribution =
    record.status === 'VOIDED'
      ? 'No longer attributed to this plan (entered in error for it).'
      : `Attributed to ${record.plan}, basis ${record.basis}${record.productLine ? `, product line ${record.productLine}` : ''}, rule version ${record.ruleVersion}.`;
  return `Visit to ${centerName} on ${record.serviceDate} ${period}: ${purposes || 'no service recorded'}. ${attribution} Revision ${record.revision}.`;
}

/**
 * The one place a member id appears: the Patient's identifier (a CIN under its own system). The
 * narrative does not repeat it, so that the identifier stays in this one element.
 */
export function toFhirPatient(plan: PartnerPlan, memberId: string, ids: FhirPseudonyms): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    id: ids.patientId(plan, memberId),
    text: narrative(paragraph(`A member of ${PLAN_NAMES[plan]} who visited a Community Resource Center. The member id is in Patient.identifier.`)),
    identifier: [{ system: memberIdType(memberId) === 'MEDI_CAL_CIN' ? FHIR_SYSTEMS.cin : FHIR_SYSTEMS.memberId, value: memberId }],
  };
}

/** The member's coverage under a product line; the member is reached through the Patient reference only. */
export function toFhirCoverage(plan: PartnerPlan, memberId: string, productLine: string, ids: FhirPseudonyms): Record<string, unknown> {
  return {
    resourceType: 'Coverage',
    id: ids.coverageId(plan, memberId, productLine),
    text: narrative(paragraph(`Coverage by ${PLAN_NAMES[plan]} under the product line ${productLine}.`)),
    status: 'active',
    beneficiary: { reference: `Patient/${ids.patientId(plan, memberId)}` },
    payor: [{ identifier: { system: FHIR_SYSTEMS.plan, value: plan }, display: PLAN_NAMES[plan] }],
    class: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] },
        value: productLine,
      },
    ],
  };
}

/**
 * The resources of one type for the current revisions of visits (one record per visit: the caller
 * picks the latest). Patients and Coverages are each yielded once (`seen` holds their ids across pages).
 */
export function* fhirResources(
  currentRecords: UtilizationRecord[],
  plan: PartnerPlan,
  type: FhirType,
  centerName: (id: string) => string,
  ids: FhirPseudonyms,
  seen: Set<string>,
  canonicals: FhirCanonicals,
): Generator<Record<string, unknown>> {
  for (const record of currentRecords) {
    if (type === 'Encounter') {
      yield toFhirEncounter(record, plan, centerName(record.centerId), ids, canonicals);
    } else if (type === 'Patient' && record.memberId) {
      const id = ids.patientId(plan, record.memberId);
      if (seen.has(id)) continue;
      seen.add(id);
      yield toFhirPatient(plan, record.memberId, ids);
    } else if (type === 'Coverage' && hasCoverage(record)) {
      const id = ids.coverageId(plan, record.memberId, record.productLine);
      if (seen.has(id)) continue;
      seen.add(id);
      yield toFhirCoverage(plan, record.memberId, record.productLine, ids);
    }
  }
}

/** Keeps, of a visit's records, the latest: `latestSeq` maps each visit to the feed position of its latest record in the export. */
export function currentRevisions<R extends { visitId: string; seq: number }>(records: R[], latestSeq: ReadonlyMap<string, number>): R[] {
  return records.filter((r) => latestSeq.get(r.visitId) === r.seq);
}

import { PartnerPlan, UtilizationRecord } from '@crc/contracts';

/**
 * The utilization feed as FHIR R4 resources, for plans whose pipelines load FHIR Bulk Data.
 * Identifiers use our own URN systems; members are referenced by their plan member id (or CIN).
 */
export const FHIR_SYSTEMS = {
  memberId: 'urn:crc-network:member-id',
  visitId: 'urn:crc-network:visit-id',
  recordId: 'urn:crc-network:utilization-record-id',
  centerId: 'urn:crc-network:center-id',
  plan: 'urn:crc-network:plan',
  purpose: 'urn:crc-network:visit-purpose',
  attribution: 'https://crc-network.example/fhir/StructureDefinition/attribution',
  coverageExtension: 'https://crc-network.example/fhir/StructureDefinition/encounter-coverage',
} as const;

export const FHIR_TYPES = ['Encounter', 'Patient', 'Coverage'] as const;
export type FhirType = (typeof FHIR_TYPES)[number];

const PLAN_NAMES: Record<PartnerPlan, string> = { LA_CARE: 'L.A. Care Health Plan', BLUE_SHIELD_PROMISE: 'Blue Shield of California Promise Health Plan' };

/** FHIR ids are [A-Za-z0-9.-]{1,64}. */
const fhirId = (...parts: string[]) =>
  parts
    .join('-')
    .replace(/[^A-Za-z0-9.-]/g, '-')
    .slice(0, 64);

export const patientIdOf = (plan: PartnerPlan, memberId: string) => fhirId(plan.toLowerCase(), memberId);
export const coverageIdOf = (plan: PartnerPlan, memberId: string, productLine: string) => fhirId(plan.toLowerCase(), memberId, productLine.toLowerCase());

export function toFhirEncounter(record: UtilizationRecord, feedPlan: PartnerPlan, centerName: string): Record<string, unknown> {
  const status = record.status === 'VOIDED' ? 'entered-in-error' : record.checkedOutAt ? 'finished' : 'in-progress';
  const attribution = [
    { url: 'plan', valueCode: record.plan },
    { url: 'basis', valueCode: record.basis },
    { url: 'ruleVersion', valueInteger: record.ruleVersion },
    ...(record.productLine ? [{ url: 'productLine', valueString: record.productLine }] : []),
    ...(record.planPartner ? [{ url: 'planPartner', valueString: record.planPartner }] : []),
    ...(record.supersedes ? [{ url: 'supersedes', valueString: record.supersedes }] : []),
    ...record.flags.map((flag) => ({ url: 'flag', valueCode: flag })),
  ];
  const coverage =
    record.memberId && record.productLine && record.basis === 'ELIGIBILITY'
      ? [{ url: FHIR_SYSTEMS.coverageExtension, valueReference: { reference: `Coverage/${coverageIdOf(feedPlan, record.memberId, record.productLine)}` } }]
      : [];
  return {
    resourceType: 'Encounter',
    id: fhirId(record.visitId, String(record.revision)),
    meta: { versionId: String(record.revision), lastUpdated: record.publishedAt },
    extension: [{ url: FHIR_SYSTEMS.attribution, extension: attribution }, ...coverage],
    identifier: [
      { system: FHIR_SYSTEMS.visitId, value: record.visitId },
      { system: FHIR_SYSTEMS.recordId, value: record.recordId },
    ],
    status,
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    type: record.purposes.map((purpose) => ({ coding: [{ system: FHIR_SYSTEMS.purpose, code: purpose }] })),
    ...(record.memberId
      ? {
          subject: {
            reference: `Patient/${patientIdOf(feedPlan, record.memberId)}`,
            identifier: { system: FHIR_SYSTEMS.memberId, value: record.memberId },
          },
        }
      : {}),
    period: { start: record.checkedInAt, ...(record.checkedOutAt ? { end: record.checkedOutAt } : {}) },
    location: [{ location: { identifier: { system: FHIR_SYSTEMS.centerId, value: record.centerId }, display: centerName } }],
  };
}

export function toFhirPatient(plan: PartnerPlan, memberId: string): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    id: patientIdOf(plan, memberId),
    identifier: [{ system: FHIR_SYSTEMS.memberId, value: memberId }],
  };
}

export function toFhirCoverage(plan: PartnerPlan, memberId: string, productLine: string): Record<string, unknown> {
  return {
    resourceType: 'Coverage',
    id: coverageIdOf(plan, memberId, productLine),
    status: 'active',
    subscriberId: memberId,
    beneficiary: { reference: `Patient/${patientIdOf(plan, memberId)}`, identifier: { system: FHIR_SYSTEMS.memberId, value: memberId } },
    payor: [{ identifier: { system: FHIR_SYSTEMS.plan, value: plan }, display: PLAN_NAMES[plan] }],
    class: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] },
        value: productLine,
      },
    ],
  };
}

/** Each record becomes its Encounter; its member a Patient and, when on the roster, a Coverage (each once). */
export function* fhirResources(records: UtilizationRecord[], plan: PartnerPlan, type: FhirType, centerName: (id: string) => string, seen: Set<string>) {
  for (const record of records) {
    if (type === 'Encounter') yield toFhirEncounter(record, plan, centerName(record.centerId));
    else if (record.memberId && type === 'Patient' && !seen.has(record.memberId)) {
      seen.add(record.memberId);
      yield toFhirPatient(plan, record.memberId);
    } else if (record.memberId && record.productLine && record.basis === 'ELIGIBILITY' && type === 'Coverage') {
      const id = coverageIdOf(plan, record.memberId, record.productLine);
      if (seen.has(id)) continue;
      seen.add(id);
      yield toFhirCoverage(plan, record.memberId, record.productLine);
    }
  }
}

import { R4 } from '@ahryman40k/ts-fhir-types';
import { UtilizationRecord } from '@crc/contracts';
import { fhirResources, toFhirCoverage, toFhirEncounter, toFhirPatient } from './fhir-mapping';

const record: UtilizationRecord = {
  recordId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427:2',
  visitId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
  revision: 2,
  supersedes: '1b4e28ba-2fa1-41d2-883f-0016d3cca427:1',
  status: 'ACTIVE',
  centerId: 'crc-el-monte',
  serviceDate: '2026-11-28',
  plan: 'LA_CARE',
  basis: 'ELIGIBILITY',
  productLine: 'MEDI_CAL',
  planPartner: 'ANTHEM_BLUE_CROSS',
  flags: ['DUAL_COVERAGE'],
  ruleVersion: 1,
  memberId: '12345678A',
  purposes: ['EXERCISE_CLASS', 'HEALTH_SCREENING'],
  checkedInAt: '2026-11-28T17:00:00.000Z',
  checkedOutAt: '2026-11-28T18:00:00.000Z',
  publishedAt: '2026-11-28T18:00:01.000Z',
};

/** Structural validation against FHIR R4 (io-ts runtime types of the R4 resources). */
function assertValid(codec: { decode: (v: unknown) => { _tag: string } }, resource: unknown) {
  const result = codec.decode(resource);
  expect(result._tag).toBe('Right');
}

describe('FHIR mapping', () => {
  it('maps a record to a valid R4 Encounter with its member and coverage referenced', () => {
    const encounter = toFhirEncounter(record, 'LA_CARE', 'El Monte');
    assertValid(R4.RTTI_Encounter, encounter);
    expect(encounter).toMatchObject({
      resourceType: 'Encounter',
      id: '1b4e28ba-2fa1-41d2-883f-0016d3cca427-2',
      status: 'finished',
      subject: { reference: 'Patient/la-care-12345678A', identifier: { value: '12345678A' } },
      period: { start: record.checkedInAt, end: record.checkedOutAt },
    });
    expect(JSON.stringify(encounter)).toContain('Coverage/la-care-12345678A-medi-cal');
  });

  it('marks a voided record entered-in-error, an open one in-progress, and leaves out identity when there is none', () => {
    const voided = toFhirEncounter({ ...record, status: 'VOIDED', memberId: undefined }, 'LA_CARE', 'El Monte');
    assertValid(R4.RTTI_Encounter, voided);
    expect(voided.status).toBe('entered-in-error');
    expect(voided.subject).toBeUndefined();
    expect(toFhirEncounter({ ...record, checkedOutAt: undefined }, 'LA_CARE', 'El Monte').status).toBe('in-progress');
  });

  it('produces valid R4 Patient and Coverage resources, each member once', () => {
    assertValid(R4.RTTI_Patient, toFhirPatient('LA_CARE', '12345678A'));
    assertValid(R4.RTTI_Coverage, toFhirCoverage('LA_CARE', '12345678A', 'MEDI_CAL'));
    const patients = [...fhirResources([record, { ...record, revision: 3 }], 'LA_CARE', 'Patient', () => 'x', new Set())];
    expect(patients).toHaveLength(1);
    const coverages = [...fhirResources([record, { ...record, basis: 'SELF_REPORTED', productLine: undefined }], 'LA_CARE', 'Coverage', () => 'x', new Set())];
    expect(coverages).toHaveLength(1);
  });

  it('is caught by the validator when a resource is malformed (the check can fail)', () => {
    const broken = { ...toFhirEncounter(record, 'LA_CARE', 'El Monte'), status: 'done' };
    expect(R4.RTTI_Encounter.decode(broken)._tag).toBe('Left');
    expect(R4.RTTI_Coverage.decode({ resourceType: 'Coverage', status: 'active' })._tag).toBe('Left');
  });
});

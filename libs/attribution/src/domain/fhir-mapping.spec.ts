import { UtilizationRecord } from '@crc/contracts';
import { fhirR4Problems, idsAndReferences } from '@crc/testing';
import { FhirDefinitions } from './fhir-definitions';
import { currentRevisions, fhirResources, FhirPseudonyms, toFhirCoverage, toFhirEncounter, toFhirPatient } from './fhir-mapping';

const ids = new FhirPseudonyms('a-test-key-of-at-least-thirty-two-characters');
const { canonicals } = new FhirDefinitions('https://fhir.partners.crc.test/canonical');

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

describe('FHIR mapping', () => {
  it('maps a visit to a valid R4 Encounter: the visit id as its id, the revision as its version, the member by a pseudonymous reference', () => {
    const encounter = toFhirEncounter(record, 'LA_CARE', 'El Monte', ids, canonicals);
    expect(fhirR4Problems(encounter)).toEqual([]);
    expect(encounter).toMatchObject({
      resourceType: 'Encounter',
      id: record.visitId,
      meta: { versionId: '2' },
      status: 'finished',
      subject: { reference: `Patient/${ids.patientId('LA_CARE', '12345678A')}` },
      period: { start: record.checkedInAt, end: record.checkedOutAt },
    });
    expect(JSON.stringify(encounter)).toContain(`Coverage/${ids.coverageId('LA_CARE', '12345678A', 'MEDI_CAL')}`);
    expect(JSON.stringify(encounter)).not.toContain('12345678A');
  });

  it('marks a voided visit entered-in-error, an open one in-progress, and leaves out the subject when there is no identity', () => {
    const voided = toFhirEncounter({ ...record, status: 'VOIDED', memberId: undefined, revision: 3 }, 'LA_CARE', 'El Monte', ids, canonicals);
    expect(fhirR4Problems(voided)).toEqual([]);
    expect(voided).toMatchObject({ status: 'entered-in-error', meta: { versionId: '3' } });
    expect(voided.subject).toBeUndefined();
    expect(JSON.stringify(voided)).not.toContain('Coverage/');
    const open = toFhirEncounter({ ...record, checkedOutAt: undefined }, 'LA_CARE', 'El Monte', ids, canonicals);
    expect(fhirR4Problems(open)).toEqual([]);
    expect(open.status).toBe('in-progress');
  });

  it('puts the member id in Patient.identifier only (a CIN under its own system), never in an id or a reference', () => {
    const patient = toFhirPatient('LA_CARE', '12345678A', ids);
    const coverage = toFhirCoverage('LA_CARE', '12345678A', 'MEDI_CAL', ids);
    expect(fhirR4Problems(patient)).toEqual([]);
    expect(fhirR4Problems(coverage)).toEqual([]);
    expect(patient.identifier).toEqual([{ system: 'urn:crc-network:medi-cal-cin', value: '12345678A' }]);
    expect((toFhirPatient('LA_CARE', 'LAC100001', ids).identifier as Array<{ system: string }>)[0].system).toBe('urn:crc-network:member-id');
    expect(JSON.stringify(coverage)).not.toContain('12345678A');
    for (const resource of [patient, coverage, toFhirEncounter(record, 'LA_CARE', 'x', ids, canonicals)]) {
      for (const value of idsAndReferences(resource)) expect(value).not.toContain('12345678A');
    }
    expect(coverage).toMatchObject({ beneficiary: { reference: `Patient/${patient.id}` } });
  });

  it('makes ids stable per plan and key, unrelated across plans and keys, and valid FHIR ids', () => {
    const id = ids.patientId('LA_CARE', '12345678A');
    expect(id).toMatch(/^[a-f0-9]{64}$/);
    expect(ids.patientId('LA_CARE', '12345678A')).toBe(id);
    expect(ids.patientId('BLUE_SHIELD_PROMISE', '12345678A')).not.toBe(id);
    expect(new FhirPseudonyms('another-test-key-of-at-least-thirty-two-chars').patientId('LA_CARE', '12345678A')).not.toBe(id);
    expect(ids.coverageId('LA_CARE', '12345678A', 'MEDI_CAL')).not.toBe(ids.coverageId('LA_CARE', '12345678A', 'LA_CARE_COVERED'));
    expect(() => new FhirPseudonyms('short')).toThrow(/32 characters/);
  });

  it('keeps the latest record of each visit, and yields each Patient and Coverage once', () => {
    const docs = [
      { ...record, revision: 1, seq: 1 },
      { ...record, visitId: 'other-visit', seq: 2 },
      { ...record, revision: 2, seq: 3 },
    ];
    const current = currentRevisions(
      docs,
      new Map([
        [record.visitId, 3],
        ['other-visit', 2],
      ]),
    );
    expect(current.map((d) => d.seq)).toEqual([2, 3]);
    const patients = [...fhirResources(current, 'LA_CARE', 'Patient', () => 'x', ids, new Set(), canonicals)];
    expect(patients).toHaveLength(1);
    const coverages = [
      ...fhirResources(
        [record, { ...record, visitId: 'v3', basis: 'SELF_REPORTED', productLine: undefined }],
        'LA_CARE',
        'Coverage',
        () => 'x',
        ids,
        new Set(),
        canonicals,
      ),
    ];
    expect(coverages).toHaveLength(1);
    expect([...fhirResources(current, 'LA_CARE', 'Encounter', () => 'x', ids, new Set(), canonicals)]).toHaveLength(2);
  });

  it('gives every resource a narrative, escaped, that never repeats the member id', () => {
    const encounter = toFhirEncounter(record, 'LA_CARE', 'El Monte <Annex> & Co', ids, canonicals) as { text: { status: string; div: string } };
    expect(encounter.text.status).toBe('generated');
    expect(encounter.text.div).toContain('Visit to El Monte &lt;Annex&gt; &amp; Co on 2026-11-28');
    expect(encounter.text.div).toContain('Exercise class, Health screening');
    expect(encounter.text.div).toContain('Attributed to LA_CARE, basis ELIGIBILITY, product line MEDI_CAL, rule version 1.');
    const voided = toFhirEncounter({ ...record, status: 'VOIDED', memberId: undefined }, 'LA_CARE', 'El Monte', ids, canonicals) as { text: { div: string } };
    expect(voided.text.div).toContain('No longer attributed to this plan');
    for (const resource of [toFhirPatient('LA_CARE', '12345678A', ids), toFhirCoverage('LA_CARE', '12345678A', 'MEDI_CAL', ids)] as Array<{
      text: { div: string };
    }>) {
      expect(resource.text.div).toMatch(/^<div xmlns="http:\/\/www.w3.org\/1999\/xhtml"><p>.+<\/p><\/div>$/);
      expect(resource.text.div).not.toContain('12345678A');
    }
  });

  it('is caught by the validators when a resource is malformed (the check can fail)', () => {
    const encounter = toFhirEncounter(record, 'LA_CARE', 'El Monte', ids, canonicals);
    expect(fhirR4Problems({ ...encounter, status: 'completed' })).not.toEqual([]);
    expect(fhirR4Problems({ ...encounter, id: 'lac_12345678A!' })).not.toEqual([]);
    expect(fhirR4Problems({ ...encounter, memberId: '12345678A' })).not.toEqual([]);
    expect(fhirR4Problems({ resourceType: 'Coverage', id: 'x', status: 'active' })).not.toEqual([]);
  });
});

import { countQuarantined, joinServicesToVisits, NamedService } from './service-join';

const helpCase = (serviceId: string, visitId: string | undefined, centerId: string): NamedService => ({
  kind: 'HELP_CASE',
  serviceId,
  visitId,
  centerId,
  serviceDate: '2026-11-28',
});
const session = (serviceId: string, visitId: string, centerId: string): NamedService => ({ ...helpCase(serviceId, visitId, centerId), kind: 'WIFI_SESSION' });

describe('joinServicesToVisits', () => {
  const visits = [
    { visitId: 'visit-a', centerId: 'crc-el-monte' },
    { visitId: 'visit-b', centerId: 'crc-pomona' },
  ];

  it('attaches a service to a visit of its own center', () => {
    const { attached, quarantined } = joinServicesToVisits(visits, [helpCase('c1', 'visit-a', 'crc-el-monte'), session('s1', 'visit-b', 'crc-pomona')]);
    expect(attached.get('visit-a')!.map((s) => s.serviceId)).toEqual(['c1']);
    expect(attached.get('visit-b')!.map((s) => s.serviceId)).toEqual(['s1']);
    expect(quarantined).toEqual([]);
  });

  it('never attaches a service naming a visit of another center: it is quarantined, with both centers', () => {
    const { attached, quarantined } = joinServicesToVisits(visits, [helpCase('c1', 'visit-a', 'crc-pomona'), session('s1', 'visit-b', 'crc-el-monte')]);
    expect(attached.get('visit-a')).toEqual([]);
    expect(attached.get('visit-b')).toEqual([]);
    expect(quarantined).toEqual([
      {
        kind: 'HELP_CASE',
        serviceId: 'c1',
        visitId: 'visit-a',
        centerId: 'crc-pomona',
        visitCenterId: 'crc-el-monte',
        serviceDate: '2026-11-28',
        reason: 'VISIT_AT_OTHER_CENTER',
      },
      {
        kind: 'WIFI_SESSION',
        serviceId: 's1',
        visitId: 'visit-b',
        centerId: 'crc-el-monte',
        visitCenterId: 'crc-pomona',
        serviceDate: '2026-11-28',
        reason: 'VISIT_AT_OTHER_CENTER',
      },
    ]);
  });

  it('attaches nothing for a visit it does not know, nor a walk-in case, and quarantines neither', () => {
    const { attached, quarantined } = joinServicesToVisits(visits, [
      helpCase('c1', 'visit-unknown', 'crc-el-monte'),
      helpCase('c2', undefined, 'crc-el-monte'),
    ]);
    expect([...attached.values()].flat()).toEqual([]);
    expect(attached.has('visit-unknown')).toBe(false);
    expect(quarantined).toEqual([]);
  });

  it('gives every visit asked about an entry, with or without services', () => {
    expect([...joinServicesToVisits(visits, []).attached.keys()]).toEqual(['visit-a', 'visit-b']);
  });
});

describe('countQuarantined', () => {
  it('counts per center, service date and kind, newest date first', () => {
    const counts = countQuarantined([
      { centerId: 'crc-pomona', serviceDate: '2026-11-27', kind: 'HELP_CASE' },
      { centerId: 'crc-pomona', serviceDate: '2026-11-28', kind: 'HELP_CASE' },
      { centerId: 'crc-pomona', serviceDate: '2026-11-28', kind: 'HELP_CASE' },
      { centerId: 'crc-el-monte', serviceDate: '2026-11-28', kind: 'WIFI_SESSION' },
    ]);
    expect(counts).toEqual([
      { centerId: 'crc-el-monte', serviceDate: '2026-11-28', kind: 'WIFI_SESSION', count: 1 },
      { centerId: 'crc-pomona', serviceDate: '2026-11-28', kind: 'HELP_CASE', count: 2 },
      { centerId: 'crc-pomona', serviceDate: '2026-11-27', kind: 'HELP_CASE', count: 1 },
    ]);
  });
});

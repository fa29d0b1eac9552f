import { scanForPhi } from './phi-scan';

describe('scanForPhi', () => {
  it('finds member ids, CINs and MAC addresses, and reports only counts', () => {
    const log = [
      '{"msg":"checked in","memberId":"LAC100001"}',
      '{"msg":"x","cin":"90000006F"}',
      '{"deviceId":"3c:22:fb:12:9a:0e"}',
      '{"deviceId":"3C-22-FB-12-9A-0E"}',
    ].join('\n');
    expect(scanForPhi(log)).toEqual([
      { what: 'plan member id', count: 1 },
      { what: 'Medi-Cal CIN', count: 1 },
      { what: 'MAC address', count: 2 },
    ]);
  });

  it('leaves ids, times and redacted fields alone', () => {
    const log =
      '{"visitId":"1b4e28ba-2fa1-41d2-883f-0016d3cca427","time":"2026-11-28T17:00:00.000Z","memberId":"[REDACTED]","url":"/v1/centers/crc-el-monte/check-ins"}';
    expect(scanForPhi(log)).toEqual([]);
  });
});

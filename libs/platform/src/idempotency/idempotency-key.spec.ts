import { operationIdFor, requestFingerprint } from './idempotency-key';

describe('idempotency keys', () => {
  it('derives one operation id per scope and key, shaped as a UUID', () => {
    const id = operationIdFor('kiosk:crc-el-monte:0', '6f1c2d9e-0000-4000-8000-000000000001');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(operationIdFor('kiosk:crc-el-monte:0', '6f1c2d9e-0000-4000-8000-000000000001')).toBe(id);
    expect(operationIdFor('kiosk:crc-pomona:0', '6f1c2d9e-0000-4000-8000-000000000001')).not.toBe(id);
    expect(operationIdFor('kiosk:crc-el-monte:0', '6f1c2d9e-0000-4000-8000-000000000002')).not.toBe(id);
  });

  it('fingerprints requests independently of key order, and tells different ones apart', () => {
    expect(requestFingerprint({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(requestFingerprint({ b: { d: 'x', c: [1, 2] }, a: 1 }));
    expect(requestFingerprint({ a: 1, b: undefined })).toBe(requestFingerprint({ a: 1 }));
    expect(requestFingerprint({ a: [1, 2] })).not.toBe(requestFingerprint({ a: [2, 1] }));
    expect(requestFingerprint({ a: '1' })).not.toBe(requestFingerprint({ a: 1 }));
  });
});

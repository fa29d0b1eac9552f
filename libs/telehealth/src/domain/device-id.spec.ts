import { createHmac } from 'node:crypto';
import { deviceClaimId, hashDeviceId, normaliseMacAddress } from './device-id';

const KEY = 'a-test-key-of-at-least-thirty-two-characters';

describe('normaliseMacAddress', () => {
  it.each([
    ['colons, upper case', '3C:22:FB:12:9A:0E'],
    ['colons, lower case', '3c:22:fb:12:9a:0e'],
    ['dashes (Windows)', '3C-22-FB-12-9A-0E'],
    ['dotted (Cisco)', '3c22.fb12.9a0e'],
    ['bare', '3C22FB129A0E'],
    ['surrounding spaces', '  3c:22:fb:12:9a:0e\t'],
  ])('reads %s as one spelling', (_name, raw) => {
    expect(normaliseMacAddress(raw)).toBe('3c:22:fb:12:9a:0e');
  });

  it.each([
    ['too short', '3c:22:fb:12:9a'],
    ['too long', '3c:22:fb:12:9a:0e:01'],
    ['not hex', '3g:22:fb:12:9a:0e'],
    ['mixed separators', '3c:22-fb:12:9a:0e'],
    ['misplaced separators', '3c2:2fb:129:a0e'],
    ['empty', ''],
  ])('refuses %s without quoting it', (_name, raw) => {
    expect(() => normaliseMacAddress(raw)).toThrow(expect.objectContaining({ code: 'SESSION.INVALID_DEVICE_ID', kind: 'INVALID' }));
    try {
      normaliseMacAddress(raw);
    } catch (error) {
      if (raw) expect(JSON.stringify({ message: (error as Error).message, details: (error as { details?: unknown }).details })).not.toContain(raw);
    }
  });
});

describe('hashDeviceId', () => {
  it('is HMAC-SHA256 of the normalised address under the key, the same for every notation', () => {
    const expected = createHmac('sha256', KEY).update('3c:22:fb:12:9a:0e').digest('hex');
    expect(hashDeviceId('3C-22-FB-12-9A-0E', KEY)).toBe(expected);
    expect(hashDeviceId('3c22.fb12.9a0e', KEY)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('depends on the key (a plain hash of the small MAC space could be reversed) and on the device', () => {
    expect(hashDeviceId('3c:22:fb:12:9a:0e', KEY)).not.toBe(hashDeviceId('3c:22:fb:12:9a:0e', `${KEY}-other`));
    expect(hashDeviceId('3c:22:fb:12:9a:0e', KEY)).not.toBe(hashDeviceId('3c:22:fb:12:9a:0f', KEY));
  });

  it('never contains the address', () => {
    const hash = hashDeviceId('3c:22:fb:12:9a:0e', KEY);
    expect(hash).not.toContain('3c22fb129a0e');
    expect(deviceClaimId('crc-el-monte', hash)).toBe(`crc-el-monte:${hash}`);
  });
});

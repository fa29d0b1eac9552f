import { MAX_JSON_DEPTH, parseStrictJson } from './strict-json';

const codeOf = (body: Buffer) => {
  try {
    parseStrictJson(body);
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('parseStrictJson', () => {
  it('parses ordinary JSON, including brackets inside strings and escaped quotes', () => {
    expect(parseStrictJson(Buffer.from('{"a":"[[[{{{\\"]]]","b":[1,{"c":null}]}'))).toEqual({ a: '[[[{{{"]]]', b: [1, {}] });
    expect(parseStrictJson(Buffer.from('{"name":"Zoë 日本"}'))).toEqual({ name: 'Zoë 日本' });
  });

  it('drops null properties (absent and null mean the same), but keeps nulls inside arrays for validation to see', () => {
    expect(parseStrictJson(Buffer.from('{"a":null,"b":{"c":null,"d":1},"e":[null,2]}'))).toEqual({ b: { d: 1 }, e: [null, 2] });
    expect(parseStrictJson(Buffer.from('null'))).toBeNull();
  });

  it('refuses invalid UTF-8, excessive nesting, bad JSON and empty bodies with their own codes', () => {
    expect(codeOf(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]))).toBe('REQUEST.INVALID_UTF8');
    expect(codeOf(Buffer.from('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1)))).toBe('REQUEST.TOO_DEEP');
    expect(codeOf(Buffer.from('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH)))).toBe('ok');
    expect(codeOf(Buffer.from('['.repeat(200_000)))).toBe('REQUEST.TOO_DEEP');
    expect(codeOf(Buffer.from('{"a":'))).toBe('REQUEST.INVALID_JSON');
    expect(codeOf(Buffer.alloc(0))).toBe('REQUEST.EMPTY_BODY');
  });
});

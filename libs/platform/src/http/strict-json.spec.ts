import { assertUtf8Charset, MAX_JSON_DEPTH, parseStrictJson } from './strict-json';

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

describe('parseStrictJson: keys that reach a prototype', () => {
  const refusal = (json: string) => {
    try {
      parseStrictJson(Buffer.from(json));
      return undefined;
    } catch (error) {
      const { code, details } = error as { code: string; details: Array<{ field: string }> };
      return { code, field: details?.[0]?.field };
    }
  };

  it('refuses __proto__, constructor and prototype wherever they are, naming where', () => {
    expect(refusal('{"__proto__":{"admin":true}}')).toEqual({ code: 'REQUEST.FORBIDDEN_KEY', field: '__proto__' });
    expect(refusal('{"visitor":{"constructor":{"prototype":1}}}')).toEqual({ code: 'REQUEST.FORBIDDEN_KEY', field: 'visitor.constructor' });
    expect(refusal('{"items":[{},{"a":{"prototype":{}}}]}')).toEqual({ code: 'REQUEST.FORBIDDEN_KEY', field: 'items[1].a.prototype' });
  });

  it('leaves those words alone as values and inside longer keys', () => {
    expect(refusal('{"note":"__proto__ constructor prototype","constructorName":"x","proto":1}')).toBeUndefined();
  });
});

describe('assertUtf8Charset', () => {
  const code = (contentType: string | undefined) => {
    try {
      assertUtf8Charset(contentType);
      return 'ok';
    } catch (error) {
      return `${(error as { kind: string }).kind} ${(error as { code: string }).code}`;
    }
  };

  it('takes no charset, or UTF-8 however it is written', () => {
    for (const type of [
      undefined,
      'application/json',
      'application/json; charset=utf-8',
      'application/json;charset=UTF-8',
      'application/json; charset="utf8"',
    ]) {
      expect([type, code(type)]).toEqual([type, 'ok']);
    }
  });

  it('refuses any other declared charset as an unsupported media type', () => {
    for (const type of [
      'application/json; charset=latin1',
      'application/json; charset=ISO-8859-1',
      'application/json; charset=utf-16',
      'application/json; charset=',
    ]) {
      expect([type, code(type)]).toEqual([type, 'UNSUPPORTED_MEDIA_TYPE REQUEST.UNSUPPORTED_CHARSET']);
    }
  });
});

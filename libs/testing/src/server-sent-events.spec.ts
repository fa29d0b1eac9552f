import { parseServerSentEvents } from './server-sent-events';

describe('parseServerSentEvents', () => {
  it('reads named events, joins data lines, and skips comments and blocks without data', () => {
    const text = 'event: summary\ndata: {"a":1}\n\n: keep-alive\n\ndata: one\ndata:two\n\nevent: lonely\n\n';
    expect(parseServerSentEvents(text)).toEqual({
      events: [
        { event: 'summary', data: '{"a":1}' },
        { event: 'message', data: 'one\ntwo' },
      ],
      rest: '',
    });
  });

  it('keeps what is not a complete event yet, whatever the line endings, for the next chunk', () => {
    const first = parseServerSentEvents('event: summary\r\ndata: {"a":1}\r\n\r\nevent: summary\r\ndata: {"a"');
    expect(first.events).toEqual([{ event: 'summary', data: '{"a":1}' }]);
    expect(first.rest).toBe('event: summary\r\ndata: {"a"');
    const second = parseServerSentEvents(`${first.rest}:2}\r\n\r`);
    // The last CR may still be the start of a CRLF: the event waits for what follows.
    expect(second.events).toEqual([]);
    expect(parseServerSentEvents(`${second.rest}\n`).events).toEqual([{ event: 'summary', data: '{"a":2}' }]);
    // CR alone ends lines too; the final CR holds `y` back until the next character is known.
    expect(parseServerSentEvents('data: x\r\rdata: y\r\r').events.map((e) => e.data)).toEqual(['x']);
    expect(parseServerSentEvents('data: x\r\rdata: y\r\r:').events.map((e) => e.data)).toEqual(['x', 'y']);
  });

  it('reports id and retry only when the event carries them', () => {
    expect(parseServerSentEvents('id: 7\nretry: 1000\ndata\n\nretry: soon\ndata: z\n\n').events).toEqual([
      { event: 'message', data: '', id: '7', retry: 1000 },
      { event: 'message', data: 'z' },
    ]);
  });
});

/** One server-sent event as a browser's EventSource would dispatch it. */
export interface ServerSentEvent {
  /** Its type: the `event` field, `message` when the block names none. */
  event: string;
  /** Its `data` lines, joined with line feeds. */
  data: string;
  /** The `id` and `retry` fields, only when the block carried them. */
  id?: string;
  retry?: number;
}

/**
 * Reads the complete events of a stream's text so far, as the HTML standard's event-stream
 * parser does (lines end with CRLF, LF or CR; a blank line dispatches; `:` starts a comment; a
 * block without `data` dispatches nothing). `rest` is what is not a complete event yet: parse it
 * again with the text that follows.
 */
export function parseServerSentEvents(text: string): { events: ServerSentEvent[]; rest: string } {
  const events: ServerSentEvent[] = [];
  let block: string[] = [];
  let consumed = 0;
  let position = 0;
  for (;;) {
    const match = /\r\n|\r|\n/g;
    match.lastIndex = position;
    const end = match.exec(text);
    // A CR at the very end may be the first half of a CRLF still on its way.
    if (!end || (end[0] === '\r' && end.index === text.length - 1)) break;
    const line = text.slice(position, end.index);
    position = end.index + end[0].length;
    if (line !== '') {
      block.push(line);
      continue;
    }
    const event = dispatch(block);
    if (event) events.push(event);
    block = [];
    consumed = position;
  }
  return { events, rest: text.slice(consumed) };
}

function dispatch(lines: string[]): ServerSentEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  let id: string | undefined;
  let retry: number | undefined;
  for (const line of lines) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
  }
  if (data.length === 0) return undefined;
  return { event, data: data.join('\n'), ...(id !== undefined ? { id } : {}), ...(retry !== undefined ? { retry } : {}) };
}

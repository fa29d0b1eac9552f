import { Readable } from 'node:stream';
import { X12parser } from 'x12-parser';

/** One X12 segment: its id (`INS`) and its elements, `elements[0]` being XX01. Composite elements keep their first component. */
export interface X12Segment {
  id: string;
  elements: string[];
}

/** The byte stream cannot be read as an interchange at all; nothing of it was applied. */
export class X12StreamError extends Error {
  constructor(
    readonly code: 'X12.NOT_AN_INTERCHANGE' | 'X12.SEGMENT_TOO_LONG',
    message: string,
  ) {
    super(message);
  }
}

/** The ISA segment has a fixed length: its 106th character is the segment terminator. */
const ISA_LENGTH = 106;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Splits an upload into X12 segments as it streams in, with x12-parser (the parser keeps one
 * partial segment between chunks). Two guards in front of it, because the parser reads the
 * delimiters from the first chunk it gets and buffers a segment until its terminator comes:
 * the whole ISA segment is handed over in one chunk, and a "segment" longer than
 * `maxSegmentBytes` stops the upload (a file without terminators would otherwise be held whole).
 */
export async function* x12SegmentsOf(
  body: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  maxSegmentBytes = 64 * 1024,
): AsyncGenerator<X12Segment> {
  const source = Readable.from(guarded(body, maxSegmentBytes), { objectMode: false });
  const parser = new X12parser('utf8');
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  try {
    for await (const formatted of parser as AsyncIterable<Record<string, string>>) {
      const id = formatted.name;
      if (!id) continue; // what follows the last terminator (a final line break)
      const elements: string[] = [];
      for (let i = 1; formatted[String(i)] !== undefined; i++) elements.push(formatted[String(i)]);
      yield { id, elements };
    }
  } finally {
    source.destroy();
    parser.destroy();
  }
}

async function* guarded(body: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, maxSegmentBytes: number): AsyncGenerator<Buffer> {
  let head = Buffer.alloc(0);
  let terminator: number | undefined;
  let sinceTerminator = 0;
  for await (const chunk of body) {
    let buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (terminator === undefined) {
      head = Buffer.concat([head, buffer]);
      if (head.length < UTF8_BOM.length + ISA_LENGTH) continue;
      if (head.subarray(0, 3).equals(UTF8_BOM)) head = head.subarray(3);
      if (head.length < ISA_LENGTH) continue;
      terminator = readIsaTerminator(head);
      buffer = head;
    }
    sinceTerminator = checkSegmentLengths(buffer, terminator, sinceTerminator, maxSegmentBytes);
    yield buffer;
  }
  if (terminator === undefined) throw new X12StreamError('X12.NOT_AN_INTERCHANGE', 'The upload is shorter than an ISA segment: not an X12 interchange.');
}

function readIsaTerminator(head: Buffer): number {
  const elementSeparator = head[3];
  const terminator = head[ISA_LENGTH - 1];
  const isDelimiter = (byte: number) => byte !== undefined && !/[A-Za-z0-9 ]/.test(String.fromCharCode(byte));
  if (head.toString('latin1', 0, 3) !== 'ISA' || !isDelimiter(elementSeparator) || !isDelimiter(terminator) || elementSeparator === terminator) {
    throw new X12StreamError('X12.NOT_AN_INTERCHANGE', 'The upload does not start with an ISA segment of 106 characters: not an X12 interchange.');
  }
  // Every element of ISA has a fixed width: exactly 16 separators before the terminator.
  let separators = 0;
  for (let i = 0; i < ISA_LENGTH - 1; i++) if (head[i] === elementSeparator) separators++;
  if (separators !== 16) {
    throw new X12StreamError('X12.NOT_AN_INTERCHANGE', 'The ISA segment does not have 16 elements of fixed width: not an X12 interchange.');
  }
  return terminator;
}

function checkSegmentLengths(buffer: Buffer, terminator: number, sinceTerminator: number, maxSegmentBytes: number): number {
  const tooLong = () => new X12StreamError('X12.SEGMENT_TOO_LONG', `A segment is longer than ${maxSegmentBytes} bytes; nothing was applied.`);
  let run = sinceTerminator;
  let start = 0;
  for (let at = buffer.indexOf(terminator); at !== -1; at = buffer.indexOf(terminator, at + 1)) {
    if (run + (at - start) > maxSegmentBytes) throw tooLong();
    run = 0;
    start = at + 1;
  }
  run += buffer.length - start;
  if (run > maxSegmentBytes) throw tooLong();
  return run;
}

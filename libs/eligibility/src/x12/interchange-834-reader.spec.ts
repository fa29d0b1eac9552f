import { ENVELOPE_DEFECTS, enrollment834, enrollment834Segments, generatedMembers } from '@crc/testing';
import { Interchange834Reader } from './interchange-834-reader';
import { X12StreamError, x12SegmentsOf } from './x12-segments';

async function read(file: string | Iterable<string>, chunkBytes?: number) {
  const reader = new Interchange834Reader();
  let members = 0;
  const text = typeof file === 'string' ? file : [...file].join('');
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  const size = chunkBytes ?? bytes.length;
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  for await (const segment of x12SegmentsOf(chunks)) for (const event of reader.read(segment)) if (event.kind === 'MEMBER') members++;
  reader.finish();
  return { reader, members };
}

const members = [...generatedMembers(3)];

describe('reading an 834 interchange', () => {
  it('a valid file: no problem, every member loop handed over, whatever the chunk size', async () => {
    for (const chunk of [1, 7, 105, 106, 4096, undefined]) {
      const { reader, members: count } = await read(enrollment834({ receiver: 'LACARE', members, transactionSets: 2 }), chunk);
      expect({ chunk, problems: reader.problems, count }).toEqual({ chunk, problems: [], count: 3 });
      expect(reader.header).toMatchObject({ senderId: 'DHCS', receiverId: 'LACARE', controlNumber: '000000001' });
      expect(reader.action).toBe('REPLACE');
    }
  });

  it('segments without line breaks, and changes files (BGN08 2)', async () => {
    const { reader, members: count } = await read(enrollment834({ receiver: 'LACARE', members, action: '2', lineBreaks: false }), 50);
    expect(reader.problems).toEqual([]);
    expect(count).toBe(3);
    expect(reader.action).toBe('MERGE');
  });

  it.each(ENVELOPE_DEFECTS)('%s: the envelope does not check out', async (defect) => {
    const { reader } = await read(enrollment834({ receiver: 'LACARE', members, defect }));
    expect(reader.problems.length).toBeGreaterThan(0);
    for (const problem of reader.problems)
      expect(problem).toEqual(expect.objectContaining({ line: expect.any(Number), segmentId: expect.any(String), loop: expect.any(String) }));
  });

  it('names the segment of the problem by its position (SE01 counted wrong)', async () => {
    const { reader } = await read(enrollment834({ receiver: 'LACARE', members, defect: 'SE_COUNT' }));
    const lines = enrollment834({ receiver: 'LACARE', members }).split('\n');
    const seLine = lines.findIndex((l) => l.startsWith('SE*')) + 1;
    expect(reader.problems).toEqual([
      { line: seLine, segment: seLine - 2, segmentId: 'SE', loop: 'SE', transactionSet: '0001', message: 'SE01 is not the number of segments from ST to SE' },
    ]);
  });

  it('a tally per transaction set for the acknowledgement', async () => {
    const { reader } = await read(enrollment834({ receiver: 'LACARE', members, transactionSets: 2 }));
    expect(reader.acknowledgement()).toEqual([
      {
        controlNumber: '1',
        version: '005010X220A1',
        sets: [
          { controlNumber: '0001', memberLoops: 2, rejectedLoops: 0, envelopeError: false },
          { controlNumber: '0002', memberLoops: 1, rejectedLoops: 0, envelopeError: false },
        ],
      },
    ]);
  });

  it('refuses what is not an interchange, and a segment that never ends, before holding it', async () => {
    await expect(read('memberId,productLine\nLAC1,MEDI_CAL\n'.repeat(10))).rejects.toThrow(X12StreamError);
    const head = [...enrollment834Segments({ receiver: 'LACARE', members })].slice(0, 3).join('');
    await expect(read(head + 'REF*0F*' + 'A'.repeat(200_000))).rejects.toMatchObject({ code: 'X12.SEGMENT_TOO_LONG' });
  });
});

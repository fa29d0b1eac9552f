/**
 * How a large X12 834 streams through the roster upload's read path: x12-parser behind its guards,
 * the envelope reader, and each member loop mapped through the default mapping. Reports the time
 * and the peak memory (resident set and V8 heap); never fails on slowness.
 *
 *   npm run bench:834 -- --members 100000 [--chunk 65536]
 *
 * The file is generated as it is read (libs/testing's generator), so what is measured is what the
 * service holds while an upload streams in, not the file itself. Applying the staged operations to
 * the store is measured by the store's own figures (docs/benchmarks.md): it is the store's writes.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PartnerPlan } from '@crc/contracts';
import { Enrollment834Mappings } from '../libs/eligibility/src/x12/enrollment-834-mapping';
import { Interchange834Reader } from '../libs/eligibility/src/x12/interchange-834-reader';
import { mapMemberLoop } from '../libs/eligibility/src/x12/member-loop';
import { x12SegmentsOf } from '../libs/eligibility/src/x12/x12-segments';
import { enrollment834Segments, generatedMembers } from '../libs/testing/src/enrollment-834.generator';
import { findRepoRoot } from '../libs/infra/src/paths';

export interface StreamFigures {
  members: number;
  bytes: number;
  segments: number;
  operations: number;
  seconds: number;
  peakRssMb: number;
  peakHeapUsedMb: number;
  baselineHeapUsedMb: number;
  /** The most the heap held after a full collection, taken every 100,000 segments: what the read path retains. */
  peakRetainedHeapMb: number;
}

/** A full garbage collection on demand, without starting Node with --expose-gc. */
function garbageCollector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Streams a generated `members`-member 834 through the read path, sampling memory as it goes. */
export async function stream834(members: number, chunkBytes = 64 * 1024): Promise<StreamFigures> {
  const seed = join(findRepoRoot(__dirname), 'deploy', 'local', 'seed');
  const productLines = JSON.parse(readFileSync(join(seed, 'product-lines.json'), 'utf8')) as Record<PartnerPlan, string[]>;
  const lines = new Set(productLines.LA_CARE);
  const mapping = Enrollment834Mappings.fromFile(join(seed, 'x12-834-mapping.json')).of('LA_CARE')!;
  let bytes = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    let pending: string[] = [];
    let size = 0;
    for (const segment of enrollment834Segments({ receiver: 'LACARE', members: generatedMembers(members), transactionSets: 1 })) {
      pending.push(segment);
      size += segment.length;
      if (size >= chunkBytes) {
        const chunk = Buffer.from(pending.join(''));
        bytes += chunk.length;
        yield chunk;
        pending = [];
        size = 0;
      }
    }
    const last = Buffer.from(pending.join(''));
    bytes += last.length;
    yield last;
  }
  const gc = garbageCollector();
  gc();
  const baselineHeap = process.memoryUsage().heapUsed;
  let peakRetained = baselineHeap;
  let peakRss = process.memoryUsage().rss;
  let peakHeap = baselineHeap;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const reader = new Interchange834Reader();
  let segments = 0;
  let operations = 0;
  const started = process.hrtime.bigint();
  for await (const segment of x12SegmentsOf(chunks())) {
    if (++segments % 5000 === 0) sample();
    if (segments % 100_000 === 0) {
      gc();
      peakRetained = Math.max(peakRetained, process.memoryUsage().heapUsed);
    }
    for (const event of reader.read(segment)) {
      if (event.kind !== 'MEMBER') continue;
      const result = mapMemberLoop('LA_CARE', event.member, mapping, lines);
      if ('operations' in result) operations += result.operations.length;
    }
  }
  reader.finish();
  sample();
  if (reader.problems.length > 0) throw new Error(`the generated file did not check out: ${JSON.stringify(reader.problems)}`);
  const mb = (n: number) => Math.round((n / 1024 ** 2) * 10) / 10;
  return {
    members,
    bytes,
    segments,
    operations,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    peakRssMb: mb(peakRss),
    peakHeapUsedMb: mb(peakHeap),
    baselineHeapUsedMb: mb(baselineHeap),
    peakRetainedHeapMb: mb(peakRetained),
  };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number) => {
    const at = args.indexOf(`--${name}`);
    return at === -1 ? fallback : Number(args[at + 1]);
  };
  stream834(option('members', 100_000), option('chunk', 64 * 1024))
    .then((f) => {
      process.stdout.write(
        `834 of ${f.members.toLocaleString('en-US')} members (${(f.bytes / 1024 ** 2).toFixed(1)} MB, ${f.segments.toLocaleString('en-US')} segments, ` +
          `${f.operations.toLocaleString('en-US')} roster operations): ${f.seconds.toFixed(1)} s, ` +
          `${Math.round(f.members / f.seconds).toLocaleString('en-US')} members/s; peak RSS ${f.peakRssMb} MB, peak heap ${f.peakHeapUsedMb} MB (at start ${f.baselineHeapUsedMb} MB; at most ${f.peakRetainedHeapMb} MB retained after a full collection)\n`,
      );
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
}

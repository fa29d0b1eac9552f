import * as fs from 'node:fs';
import * as path from 'node:path';
import { BenchContext, withPeak } from '../support/bench-context';
import { generateRoster } from '../generators/kiosk-traffic.generator';
import { generateVisitEvents, VISIT_TOPICS } from '../generators/visit-events.generator';
import { ServiceProcess } from '../support/service-process';
import { medianOf } from '../support/stats';
import type { HeapLimitedService } from '../../libs/infra/src/service-heap';

export interface ReplayResult {
  events: number;
  rebuild: { seconds: number; eventsPerSecond: number; peakRssMb: number };
  ceiling: { seconds: number; eventsPerSecond: number; peakRssMb: number };
  ratio: number;
  runs: number;
}

/**
 * 3. Replay: `npm run reporting:rebuild`'s program over generated visit events, against a bare kafkajs
 * consumer writing the same topics with batched upserts. Each run starts from an empty database.
 */
export async function replayScenario(ctx: BenchContext): Promise<ReplayResult> {
  const prefix = 'bench-replay';
  const target = ctx.settings.replayEvents;
  ctx.progress.note(`replay: generating ${target} events`);
  const roster = generateRoster(ctx.random('roster'), ctx.settings.rosterMembers);
  const events = await generateVisitEvents(ctx.kafkaClient(), prefix, target, ctx.random('replay-events'), ctx.centers, roster, (done) =>
    ctx.progress.note(`replay: generating events ${done}/${target}`),
  );
  ctx.progress.step(`replay: ${events} events in Kafka`);
  const runs: Array<Omit<ReplayResult, 'events' | 'runs'>> = [];
  for (let run = 1; run <= ctx.settings.runs; run++) {
    const label = (what: string) => `replay run ${run}/${ctx.settings.runs}: ${what}`;
    ctx.progress.note(label('bare consumer'));
    const bare = await runToEnd(ctx, 'bare-replay', 'dist/bench/ceilings/bare-replay.consumer.js', {
      KAFKA_BROKERS: ctx.kafkaBrokers.join(','),
      MONGODB_URI: ctx.mongoUri,
      MONGODB_DATABASE: `bench-bare-replay-${run}`,
      TOPICS: VISIT_TOPICS.map((t) => `${prefix}.${t}`).join(','),
    });
    const bareResult = JSON.parse(bare.output.trim().split('\n').pop()!) as { events: number; seconds: number };

    ctx.progress.note(label('reporting:rebuild'));
    const rebuild = await runToEnd(
      ctx,
      'rebuild',
      'dist/apps/reporting/src/rebuild.main.js',
      ctx.serviceEnv(`bench-rebuild-${run}`, prefix, await ctx.port()),
      'reporting',
    );
    const done = /Done: (\d+) events replayed in ([\d.]+) s/.exec(rebuild.output);
    if (!done) throw new Error(`the rebuild did not finish; see ${rebuild.logFile}`);
    // The whole program, start-up included: what an operator waits for.
    const rebuildSeconds = rebuild.seconds;
    runs.push({
      rebuild: { seconds: rebuildSeconds, eventsPerSecond: Number(done[1]) / rebuildSeconds, peakRssMb: rebuild.peakRssMb },
      ceiling: { seconds: bareResult.seconds, eventsPerSecond: bareResult.events / bareResult.seconds, peakRssMb: bare.peakRssMb },
      ratio: Number(done[1]) / rebuildSeconds / (bareResult.events / bareResult.seconds),
    });
    ctx.progress.step(label(`${Math.round(rebuildSeconds)} s vs bare ${Math.round(bareResult.seconds)} s`));
  }
  return {
    events,
    rebuild: medianOf(runs.map((r) => r.rebuild)),
    ceiling: medianOf(runs.map((r) => r.ceiling)),
    ratio: medianOf(runs.map((r) => ({ ratio: r.ratio }))).ratio,
    runs: runs.length,
  };
}

/** Runs a program to its end as its own process; its output, wall time and peak resident memory. */
async function runToEnd(ctx: BenchContext, name: string, script: string, env: Record<string, string>, heapOf?: HeapLimitedService) {
  const logFile = path.join(ctx.runDir, 'logs', `${name}-${Date.now()}.log`);
  const started = Date.now();
  const processRun = await ServiceProcess.start({
    name,
    script,
    heapOf,
    env,
    logFile,
    repoRoot: ctx.repoRoot,
    cpuProfileDir: ctx.settings.profile.includes(name) ? path.join(ctx.runDir, 'profiles') : undefined,
  });
  let last = NaN;
  const { result: code, peak } = await withPeak(
    () => (last = processRun.memory()?.peakMb ?? last),
    () => processRun.wait(),
    250,
  );
  const seconds = (Date.now() - started) / 1000;
  const output = fs.readFileSync(logFile, 'utf8');
  if (code !== 0) throw new Error(`${name} exited with ${code}; see ${logFile}`);
  return { output, seconds, peakRssMb: peak, logFile };
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { BenchContext, withPeak } from '../support/bench-context';
import { generateRoster } from '../generators/kiosk-traffic.generator';
import { generateVisitEvents, VISIT_TOPICS } from '../generators/visit-events.generator';
import { ServiceProcess } from '../support/service-process';
import { StatementShare, topStatements } from '../support/statements';
import { serviceNodeOptions } from '../../libs/infra/src/service-heap';
import { extrapolate, Extrapolation } from '../support/extrapolation';

export interface ReplaySize {
  events: number;
  rebuild: { seconds: number; eventsPerSecond: number; peakRssMb: number };
  ceiling: { seconds: number; eventsPerSecond: number; peakRssMb: number };
  ratio: number;
  /** The rebuild's store time by statement. */
  statements: StatementShare[];
}

export interface ReplayResult {
  /** One run per size, smallest first; the largest is the one the target is judged on. */
  sizes: ReplaySize[];
  /** The rebuild's and the bare consumer's time for a million events, from the three sizes. */
  million: { rebuild: Extrapolation; ceiling: Extrapolation };
}

const MILLION = 1_000_000;

/**
 * 3. Replay: `npm run reporting:rebuild`'s program over generated visit events, against a bare kafkajs
 * consumer writing the same topics with batched upserts, at three sizes (each its own topics and an
 * empty database), so the time for a million events can be extrapolated rather than guessed.
 */
export async function replayScenario(ctx: BenchContext): Promise<ReplayResult> {
  const roster = generateRoster(ctx.random('roster'), ctx.settings.rosterMembers);
  const sizes: ReplaySize[] = [];
  for (const [index, target] of ctx.settings.replaySizes.entries()) {
    const prefix = `bench-replay-${target}`;
    const label = (what: string) => `replay ${index + 1}/${ctx.settings.replaySizes.length} (${target} events): ${what}`;
    ctx.progress.note(label('generating events'));
    const events = await generateVisitEvents(ctx.kafkaClient(), prefix, target, ctx.random(`replay-events-${target}`), ctx.centers, roster, (done) =>
      ctx.progress.note(label(`generating events ${done}/${target}`)),
    );

    ctx.progress.note(label('bare consumer'));
    const bare = await runToEnd(ctx, 'bare-replay', 'dist/bench/ceilings/bare-replay.consumer.js', {
      KAFKA_BROKERS: ctx.kafkaBrokers.join(','),
      MONGODB_URI: ctx.mongoUri,
      MONGODB_DATABASE: `bench-bare-replay-${target}`,
      TOPICS: VISIT_TOPICS.map((t) => `${prefix}.${t}`).join(','),
    });
    const bareResult = JSON.parse(bare.output.trim().split('\n').pop()!) as { events: number; seconds: number };

    ctx.progress.note(label('reporting:rebuild'));
    const database = `bench-rebuild-${target}`;
    const rebuild = await runToEnd(ctx, 'rebuild', 'dist/apps/reporting/src/rebuild.main.js', {
      NODE_OPTIONS: serviceNodeOptions('reporting'),
      ...ctx.serviceEnv(database, prefix, await ctx.port()),
    });
    const done = /Done: (\d+) events replayed in ([\d.]+) s/.exec(rebuild.output);
    if (!done) throw new Error(`the rebuild did not finish; see ${rebuild.logFile}`);
    // The whole program, start-up included: what an operator waits for.
    const rebuildRate = Number(done[1]) / rebuild.seconds;
    const bareRate = bareResult.events / bareResult.seconds;
    sizes.push({
      events,
      rebuild: { seconds: rebuild.seconds, eventsPerSecond: rebuildRate, peakRssMb: rebuild.peakRssMb },
      ceiling: { seconds: bareResult.seconds, eventsPerSecond: bareRate, peakRssMb: bare.peakRssMb },
      ratio: rebuildRate / bareRate,
      statements: topStatements(ctx.statementsFile(database), 5),
    });
    ctx.progress.step(label(`${Math.round(rebuild.seconds)} s vs bare ${Math.round(bareResult.seconds)} s`));
  }
  return {
    sizes,
    million: {
      rebuild: extrapolate(
        sizes.map((s) => [s.events, s.rebuild.seconds]),
        MILLION,
      ),
      ceiling: extrapolate(
        sizes.map((s) => [s.events, s.ceiling.seconds]),
        MILLION,
      ),
    },
  };
}

/** Runs a program to its end as its own process; its output, wall time and peak resident memory. */
async function runToEnd(ctx: BenchContext, name: string, script: string, env: Record<string, string>) {
  const logFile = path.join(ctx.runDir, 'logs', `${name}-${Date.now()}.log`);
  const started = Date.now();
  const processRun = await ServiceProcess.start({
    name,
    script,
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

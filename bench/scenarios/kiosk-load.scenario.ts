import * as path from 'node:path';
import { BenchContext, withPeak } from '../support/bench-context';
import { generateRoster, kioskCheckIns } from '../generators/kiosk-traffic.generator';
import { LoadResult, runLoad } from '../support/load-generator';
import { CpuWindow, measureCpu } from '../support/process-cpu';
import { ServiceProcess } from '../support/service-process';
import { StatementShare, topStatements } from '../support/statements';
import { medianOf, percentile } from '../support/stats';

/** Fractions of the bare ceiling offered in the latency sweep (the chart's x axis). */
const SWEEP_FRACTIONS = [0.1, 0.25, 0.5, 0.75, 0.9];
/** Fractions of the check-in service's own maximum, so the chart shows its curve too when the ceiling is far above it. */
const OWN_FRACTIONS = [0.25, 0.5, 0.75, 1];
/**
 * Rates beyond this multiple of the service's maximum are not offered: the queue they build only
 * drains after minutes and says nothing the maximum does not. Such points are reported as not run.
 */
const OVERLOAD_LIMIT = 1.5;

export interface LatencyPoint {
  offeredPerSecond: number;
  achievedPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface KioskLoadResult {
  checkin: { throughput: number; acceptedPerSecond: number; publishedPerSecond: number; p50Ms: number; p99Ms: number; peakRssMb: number };
  ceiling: { throughput: number; p50Ms: number; p99Ms: number; peakRssMb: number };
  ratio: number;
  /** Check-in latency with half the ceiling's rate offered (not run, NaN, when that is beyond OVERLOAD_LIMIT × our maximum). */
  atHalfCeiling: LatencyPoint;
  sweep: LatencyPoint[];
  /** The bare server's latency at the same fractions of its own maximum: the ceiling's curve on the chart. */
  ceilingSweep: LatencyPoint[];
  /** Where the time went at the check-in service's maximum (the last run): cores busy per process, the machine's share busy. */
  cpuAtMaximum?: CpuWindow;
  /** The check-in process's store time by statement (the last run). */
  statements: StatementShare[];
  runs: number;
}

const CHECKED_IN_TOPIC = 'crc.checkin.visit-checked-in.v1';

/**
 * 1. Kiosk load: the check-in service's sustained check-ins per second (each stored with its event,
 * and the event acknowledged by the broker) and latency, beside a bare insert server on the same store.
 */
export async function kioskLoadScenario(ctx: BenchContext): Promise<KioskLoadResult> {
  const { settings } = ctx;
  const roster = generateRoster(ctx.random('roster'), settings.rosterMembers);
  const runs: Array<Omit<KioskLoadResult, 'runs'>> = [];
  for (let run = 1; run <= settings.runs; run++) {
    const tag = `kiosk${run}`;
    const label = (what: string) => `kiosk load run ${run}/${settings.runs}: ${what}`;

    ctx.progress.note(label('bare ceiling'));
    const barePort = await ctx.port();
    const bare = await ServiceProcess.start({
      name: 'bare-insert',
      script: 'dist/bench/ceilings/bare-insert.server.js',
      env: { MONGODB_URI: ctx.mongoUri, MONGODB_DATABASE: `bench-bare-${tag}`, PORT: String(barePort) },
      logFile: path.join(ctx.runDir, 'logs', `bare-insert-${tag}.log`),
      repoRoot: ctx.repoRoot,
      healthUrl: `http://127.0.0.1:${barePort}/health`,
    });
    const requests = kioskCheckIns(ctx.random(`kiosk-${run}`), ctx.credentials.kiosks, roster);
    const ceilingLoad = await closedLoop(ctx, barePort, requests);
    const ceiling = {
      throughput: ceilingLoad.throughput,
      p50Ms: percentile(ceilingLoad.latencies, 50),
      p99Ms: percentile(ceilingLoad.latencies, 99),
      peakRssMb: bare.memory()?.peakMb ?? NaN,
    };
    const ceilingSweep: LatencyPoint[] = [];
    for (const rate of [...new Set(SWEEP_FRACTIONS.map((f) => Math.max(1, Math.round(ceiling.throughput * f))))]) {
      ctx.progress.note(label(`bare ceiling at ${rate}/s offered`));
      ceilingSweep.push(await openLoopPoint(ctx, barePort, requests, rate));
    }
    await bare.stop();

    ctx.progress.note(label('check-in at its maximum'));
    const topicPrefix = `bench-${tag}`;
    const { service, port } = await ctx.startService('checkin', `bench-checkin-${tag}`, topicPrefix);
    const topic = `${topicPrefix}.${CHECKED_IN_TOPIC}`;
    const published = { atStart: 0, atEnd: 0 };
    const { result: peak, cpu } = await measureCpu(
      {
        checkin: () => [service.pid],
        store: () => ctx.storePids(),
        broker: () => (ctx.brokerPid ? [ctx.brokerPid] : []),
        'load generator': () => [process.pid],
      },
      () =>
        withPeak(
          () => service.memory()?.peakMb,
          async () => {
            const startTimer = setTimeout(() => void ctx.publishedCount([topic]).then((n) => (published.atStart = n)), settings.warmupSeconds * 1000);
            const endTimer = setTimeout(
              () => void ctx.publishedCount([topic]).then((n) => (published.atEnd = n)),
              (settings.warmupSeconds + settings.durationSeconds) * 1000,
            );
            const load = await closedLoop(ctx, port, requests);
            clearTimeout(startTimer);
            clearTimeout(endTimer);
            await waitForPublished(ctx, topic, load.accepted);
            return load;
          },
        ),
    );
    const max = peak.result;
    const publishedPerSecond = (published.atEnd - published.atStart) / settings.durationSeconds;
    const throughput = Math.min(max.throughput, publishedPerSecond);

    const sweep: LatencyPoint[] = [];
    const halfCeiling = Math.max(1, Math.round(ceiling.throughput * 0.5));
    const rates = [
      ...new Set([...SWEEP_FRACTIONS.map((f) => ceiling.throughput * f), ...OWN_FRACTIONS.map((f) => throughput * f)].map((r) => Math.max(1, Math.round(r)))),
    ].sort((a, b) => a - b);
    for (const rate of rates) {
      if (rate > throughput * OVERLOAD_LIMIT) {
        sweep.push({ offeredPerSecond: rate, achievedPerSecond: NaN, p50Ms: NaN, p99Ms: NaN });
        continue;
      }
      ctx.progress.note(label(`check-in at ${rate}/s offered`));
      const before = await ctx.publishedCount([topic]);
      let accepted = 0;
      sweep.push(await openLoopPoint(ctx, port, requests, rate, (n) => (accepted = n)));
      await waitForPublished(ctx, topic, before + accepted);
    }
    const memory = service.memory()?.peakMb ?? NaN;
    await service.stop();
    runs.push({
      checkin: {
        throughput,
        acceptedPerSecond: max.throughput,
        publishedPerSecond,
        p50Ms: percentile(max.latencies, 50),
        p99Ms: percentile(max.latencies, 99),
        peakRssMb: Math.max(memory, peak.peak),
      },
      ceiling,
      ratio: throughput / ceiling.throughput,
      atHalfCeiling: sweep.find((p) => p.offeredPerSecond === halfCeiling)!,
      sweep,
      ceilingSweep,
      cpuAtMaximum: cpu,
      statements: topStatements(ctx.statementsFile(`bench-checkin-${tag}`), 5),
    });
    ctx.progress.step(label(`${Math.round(throughput)}/s vs ceiling ${Math.round(ceiling.throughput)}/s`));
  }
  return {
    checkin: medianOf(runs.map((r) => r.checkin)),
    ceiling: medianOf(runs.map((r) => r.ceiling)),
    ratio: medianOf(runs.map((r) => ({ ratio: r.ratio }))).ratio,
    atHalfCeiling: medianOf(runs.map((r) => r.atHalfCeiling)),
    // Each run offers rates of its own (fractions of its own figures): the chart keeps every run's points.
    sweep: runs.flatMap((r) => r.sweep).sort((a, b) => a.offeredPerSecond - b.offeredPerSecond),
    ceilingSweep: runs.flatMap((r) => r.ceilingSweep).sort((a, b) => a.offeredPerSecond - b.offeredPerSecond),
    cpuAtMaximum: runs[runs.length - 1].cpuAtMaximum,
    statements: runs[runs.length - 1].statements,
    runs: runs.length,
  };
}

/** Open loop at one rate: latency from each request's due time, 2 s of warm-up. */
async function openLoopPoint(
  ctx: BenchContext,
  port: number,
  request: (i: number) => { path: string; headers: Record<string, string>; body: string },
  rate: number,
  onAccepted?: (n: number) => void,
): Promise<LatencyPoint> {
  const load = await runLoad({
    host: '127.0.0.1',
    port,
    request,
    durationMs: ctx.settings.durationSeconds * 1000,
    warmupMs: 2000,
    ratePerSecond: rate,
    connections: 256,
  });
  onAccepted?.(load.accepted);
  return { offeredPerSecond: rate, achievedPerSecond: load.throughput, p50Ms: percentile(load.latencies, 50), p99Ms: percentile(load.latencies, 99) };
}

function closedLoop(
  ctx: BenchContext,
  port: number,
  request: (i: number) => { path: string; headers: Record<string, string>; body: string },
): Promise<LoadResult> {
  return runLoad({
    host: '127.0.0.1',
    port,
    request,
    durationMs: ctx.settings.durationSeconds * 1000,
    warmupMs: ctx.settings.warmupSeconds * 1000,
    connections: ctx.settings.connections,
  });
}

/** Waits until the topic holds `count` events (the outbox drained); gives up after 2 minutes. */
async function waitForPublished(ctx: BenchContext, topic: string, count: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await ctx.publishedCount([topic])) < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
}

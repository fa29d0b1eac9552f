import * as http from 'node:http';
import { encodeCursor } from '@crc/attribution';
import { PartnerPlan } from '@crc/contracts';
import type { HeapLimitedService } from '../../libs/infra/src/service-heap';
import { BenchContext, StartedService } from '../support/bench-context';
import { generateRoster, RosterMember, rosterNdjson } from '../generators/kiosk-traffic.generator';
import { DayAction, DayVisit, generateNetworkDay, Outage } from '../generators/network-day.generator';
import { watchFeedArrivals } from '../support/feed-arrivals';
import { httpCall, HttpAnswer } from '../support/http-client';
import { CpuWindow, measureCpu } from '../support/process-cpu';
import { RouteLatency, RouteRecorder } from '../support/route-latency';
import { readStatementProfile, STATEMENT_PROFILE_FLUSH_MS, StatementShare, statementsBetween } from '../support/statements';
import { percentile } from '../support/stats';

export interface DayReconciliation {
  /** Check-ins the services accepted (a 201, or ACCEPTED in a kiosk's batch). */
  accepted: number;
  /** Check-ins answered with anything else (each is an error of its route too). */
  refused: number;
  /** Accepted visits of a visitor who gave a member id: each must be active in exactly its plan's pull feed. */
  expectedInFeeds: number;
  /** Of those, active in neither plan's feed when the wait ended (lost, or still on its way when `settle` is 'limit'). */
  lost: number;
  /** Active in the other plan's feed than the attribution rules give. */
  wrongPlan: number;
  /** Active in both plans' feeds. */
  inBothFeeds: number;
  /** Community visits (no member id) found in a plan's feed. */
  communityInFeeds: number;
  /** Feed records of visits no kiosk had accepted. */
  unknownInFeeds: number;
  /** Operations' dashboard for today, against what the kiosks and staff were told. */
  dashboard: { visits: number; expectedVisits: number; openVisits: number; expectedOpenVisits: number; helpBacklog: number; wifiInProgress: number };
  /** Seconds after the last action until the feeds and the dashboard agreed (or the wait ended). */
  settledAfterSeconds: number;
  /** How the wait ended: everything agreed; nothing moved for STALL_MS (what is missing is lost); or SETTLE_LIMIT_MS passed while records were still arriving. */
  settle: 'agreed' | 'stalled' | 'limit';
}

export interface NetworkDayResult {
  centers: number;
  visits: number;
  speed: number;
  /** Simulated minutes from opening to the last action, and the real seconds they took. */
  simulatedMinutes: number;
  realSeconds: number;
  actions: number;
  outages: Outage[];
  /** Items the offline kiosks sent in their batches. */
  syncedItems: number;
  routes: RouteLatency[];
  /** Kiosk's answer (201, or the batch's answer for a queued check-in) → the visit's record on its plan's feed topic. */
  freshness: { visits: number; notSeen: number; p50Ms: number; p99Ms: number; maxMs: number };
  reconciliation: DayReconciliation;
  /** How late the harness sent requests against the schedule (its own health: a late harness under-loads). */
  schedulerLateP99Ms: number;
  peakRssMb: Record<HeapLimitedService, number>;
  cpu: CpuWindow;
  statements: Record<HeapLimitedService, StatementShare[]>;
}

const PREFIX = 'bench-day';
const SERVICES: HeapLimitedService[] = ['reporting', 'checkin', 'membership', 'telehealth'];
/** New members each plan's mid-day upload adds (share of the roster): a change, touching no visit of the day. */
const NEW_MEMBERS_SHARE = 0.01;

/** After the last action, the feeds and the dashboard get this long to catch up, and are given up on after this long without progress. */
const SETTLE_LIMIT_MS = 15 * 60_000;
const STALL_MS = 3 * 60_000;
/** No answer is cut off short of this: a slow answer is a figure, not an error (a whole roster took over 2 minutes on a loaded machine). */
const REQUEST_TIMEOUT_MS = 15 * 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * 3b. A day in the network: the four services as production runs them, the 14 centers' day replayed
 * from a seeded schedule at `--day-speed` times real time. Every request is timed by route; every
 * accepted check-in is followed to its plan's feed; at the end the feeds and the dashboard are
 * reconciled with what the kiosks were told.
 */
export async function networkDayScenario(ctx: BenchContext): Promise<NetworkDayResult> {
  const { day: settings } = ctx.settings;
  const label = (what: string) => `day in the network: ${what}`;
  const additions = Math.ceil(ctx.settings.rosterMembers * NEW_MEMBERS_SHARE);
  const fullRoster = generateRoster(ctx.random('roster'), ctx.settings.rosterMembers + additions);
  const roster = fullRoster.slice(0, ctx.settings.rosterMembers);
  const day = generateNetworkDay(ctx.random('network-day'), {
    centers: ctx.centers,
    visitsPerCenter: settings.visitsPerCenter,
    offlineKiosks: settings.offlineKiosks,
    roster,
  });
  const keys = ctx.random('network-day-keys');
  const idempotencyKeys = day.visits.map(() => keys.uuid());

  ctx.progress.note(label('starting the four services'));
  const started = {} as Record<HeapLimitedService, StartedService>;
  try {
    for (const name of SERVICES) started[name] = await ctx.startService(name, `bench-day-${name}`, PREFIX);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const routes = new RouteRecorder();
    const token = {
      kiosk: (centerId: string) => ctx.credentials.kiosks.find((k) => k.centerId === centerId)!.token,
      staff: (centerId: string) => ctx.credentials.staff.find((s) => s.centerId === centerId)!.token,
      partner: (plan: string) => ctx.credentials.partners.find((p) => p.plan === plan)!.token,
      ops: ctx.credentials.ops[0].token,
    };
    const call = async (
      service: HeapLimitedService,
      route: string,
      method: string,
      path: string,
      bearer: string,
      body?: object | string,
      extra: Record<string, string> = {},
      bulk?: { items: number; unit: string },
    ): Promise<HttpAnswer> => {
      const payload = typeof body === 'string' ? body : body !== undefined ? JSON.stringify(body) : undefined;
      const headers = {
        authorization: `Bearer ${bearer}`,
        ...(payload !== undefined && !extra['content-type'] ? { 'content-type': 'application/json' } : {}),
        ...extra,
      };
      const t0 = performance.now();
      const answer = await httpCall(agent, started[service].port, method, path, headers, payload, REQUEST_TIMEOUT_MS);
      routes.record(route, answer.status, performance.now() - t0, bulk);
      return answer;
    };
    const uploadRoster = async (plan: PartnerPlan, members: RosterMember[]) => {
      const lines = members.filter((m) => m.plan === plan).length;
      const answer = await call(
        'reporting',
        'PUT /v1/partners/:plan/eligibility',
        'PUT',
        `/v1/partners/${plan}/eligibility`,
        token.partner(plan),
        rosterNdjson(members, plan),
        { 'content-type': 'application/x-ndjson' },
        { items: lines, unit: 'lines' },
      );
      if (answer.status !== 200) throw new Error(`${plan}'s roster upload answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    };

    // The rosters arrive before the centers open (yesterday's files): visits are attributed on eligibility from the first.
    ctx.progress.note(label("uploading both plans' rosters"));
    for (const plan of ['LA_CARE', 'BLUE_SHIELD_PROMISE'] as const) await uploadRoster(plan, roster);
    // The day's statements are what comes after the overnight uploads.
    await sleep(STATEMENT_PROFILE_FLUSH_MS);
    const profilesBeforeDay = Object.fromEntries(SERVICES.map((s) => [s, readStatementProfile(started[s].statementsFile)]));

    // Every record on the plans' feed topics, by visit, as it arrives.
    const { seenAt, watcher } = await watchFeedArrivals(ctx.kafkaBrokers, PREFIX, 'bench-day-watcher');

    // What the kiosks and staff were told, per visit.
    const visitIdOf = new Map<number, Promise<string | undefined>>();
    const settleVisit = new Map<number, (visitId: string | undefined) => void>();
    for (const v of day.visits) visitIdOf.set(v.index, new Promise((resolve) => settleVisit.set(v.index, resolve)));
    const acceptedAt = new Map<string, { at: number; visit: DayVisit }>();
    let refused = 0;
    let checkedOut = 0;
    const caseIdOf = new Map<number, Promise<string | undefined>>();
    const assigned = new Map<number, Promise<boolean>>();
    const sessionIdOf = new Map<number, Promise<string | undefined>>();
    const offlineQueue = new Map<string, Array<Promise<{ item: object; visit: DayVisit }>>>();
    const feedCursor: Record<string, string> = { LA_CARE: encodeCursor(0), BLUE_SHIELD_PROMISE: encodeCursor(0) };
    let syncedItems = 0;

    const accept = (visit: DayVisit, visitId: string | undefined) => {
      if (visitId) acceptedAt.set(visitId, { at: performance.now(), visit });
      else refused++;
      settleVisit.get(visit.index)!(visitId);
    };
    const queue = (centerId: string, item: Promise<{ item: object; visit: DayVisit }>) =>
      offlineQueue.set(centerId, [...(offlineQueue.get(centerId) ?? []), item]);

    const run = async (action: DayAction): Promise<void> => {
      switch (action.kind) {
        case 'check-in': {
          const v = day.visits[action.visit];
          const answer = await call(
            'checkin',
            'POST /v1/centers/:centerId/check-ins',
            'POST',
            `/v1/centers/${v.centerId}/check-ins`,
            token.kiosk(v.centerId),
            { ...(v.visitor ? { visitor: v.visitor } : {}), purposes: v.purposes },
            { 'idempotency-key': idempotencyKeys[v.index] },
          );
          accept(v, answer.status === 201 ? (JSON.parse(answer.body) as { visitId: string }).visitId : undefined);
          return;
        }
        case 'check-out': {
          const v = day.visits[action.visit];
          if (v.offlineCheckOut) return;
          const visitId = await visitIdOf.get(v.index);
          if (!visitId) return;
          const answer = await call(
            'checkin',
            'POST /v1/centers/:centerId/check-ins/:visitId/check-out',
            'POST',
            `/v1/centers/${v.centerId}/check-ins/${visitId}/check-out`,
            token.kiosk(v.centerId),
            {},
            { 'idempotency-key': `${idempotencyKeys[v.index]}-out` },
          );
          if (answer.status === 200) checkedOut++;
          return;
        }
        case 'help-open': {
          const v = day.visits[action.visit];
          const opened = (async () => {
            const visitId = await visitIdOf.get(v.index);
            if (!visitId) return undefined;
            const answer = await call(
              'membership',
              'POST /v1/centers/:centerId/help-cases',
              'POST',
              `/v1/centers/${v.centerId}/help-cases`,
              token.kiosk(v.centerId),
              { caseType: v.help!.caseType, visitId },
              { 'idempotency-key': `${idempotencyKeys[v.index]}-help` },
            );
            return answer.status === 201 ? (JSON.parse(answer.body) as { caseId: string }).caseId : undefined;
          })();
          caseIdOf.set(v.index, opened);
          await opened;
          return;
        }
        case 'help-assign': {
          const v = day.visits[action.visit];
          const done = (async () => {
            const caseId = await caseIdOf.get(v.index);
            if (!caseId) return false;
            const answer = await call(
              'membership',
              'POST /v1/centers/:centerId/help-cases/:caseId/assign',
              'POST',
              `/v1/centers/${v.centerId}/help-cases/${caseId}/assign`,
              token.staff(v.centerId),
              {},
            );
            return answer.status === 200;
          })();
          assigned.set(v.index, done);
          await done;
          return;
        }
        case 'help-close': {
          const v = day.visits[action.visit];
          if (!(await assigned.get(v.index))) return;
          const caseId = (await caseIdOf.get(v.index))!;
          const abandon = v.help!.outcome === 'ABANDON';
          await call(
            'membership',
            `POST /v1/centers/:centerId/help-cases/:caseId/${abandon ? 'abandon' : 'resolve'}`,
            'POST',
            `/v1/centers/${v.centerId}/help-cases/${caseId}/${abandon ? 'abandon' : 'resolve'}`,
            token.staff(v.centerId),
            abandon ? {} : { outcome: v.help!.outcome },
          );
          return;
        }
        case 'wifi-start': {
          const v = day.visits[action.visit];
          const session = (async () => {
            const visitId = await visitIdOf.get(v.index);
            if (!visitId) return undefined;
            const answer = await call(
              'telehealth',
              'POST /v1/centers/:centerId/wifi-sessions',
              'POST',
              `/v1/centers/${v.centerId}/wifi-sessions`,
              token.kiosk(v.centerId),
              { visitId, deviceId: v.wifi!.deviceId },
              { 'idempotency-key': `${idempotencyKeys[v.index]}-wifi` },
            );
            return answer.status === 201 ? (JSON.parse(answer.body) as { sessionId: string }).sessionId : undefined;
          })();
          sessionIdOf.set(v.index, session);
          await session;
          return;
        }
        case 'wifi-heartbeat':
        case 'wifi-end': {
          const v = day.visits[action.visit];
          const sessionId = await sessionIdOf.get(v.index);
          if (!sessionId) return;
          const what = action.kind === 'wifi-end' ? 'end' : 'heartbeats';
          await call(
            'telehealth',
            `POST /v1/centers/:centerId/wifi-sessions/:sessionId/${what}`,
            'POST',
            `/v1/centers/${v.centerId}/wifi-sessions/${sessionId}/${what}`,
            token.kiosk(v.centerId),
          );
          return;
        }
        case 'kiosk-sync': {
          const queued = await Promise.all(offlineQueue.get(action.centerId) ?? []);
          offlineQueue.delete(action.centerId);
          if (queued.length === 0) return;
          syncedItems += queued.length;
          const answer = await call(
            'checkin',
            'POST /v1/centers/:centerId/check-ins:batch',
            'POST',
            `/v1/centers/${action.centerId}/check-ins:batch`,
            token.kiosk(action.centerId),
            { items: queued.map((q) => q.item) },
            {},
            { items: queued.length, unit: 'items' },
          );
          const results =
            answer.status === 200 ? (JSON.parse(answer.body) as { results: Array<{ index: number; outcome: string; visitId?: string }> }).results : [];
          queued.forEach((q, i) => {
            const result = results.find((r) => r.index === i);
            const isCheckIn = (q.item as { type: string }).type === 'CHECK_IN';
            if (isCheckIn) accept(q.visit, result?.outcome === 'ACCEPTED' ? result.visitId : undefined);
            else if (result?.outcome === 'ACCEPTED') checkedOut++;
          });
          return;
        }
        case 'roster-upload':
          await uploadRoster(action.plan, fullRoster);
          return;
        case 'dashboard':
          await call('reporting', 'GET /v1/operations/dashboard', 'GET', '/v1/operations/dashboard', token.ops);
          return;
        case 'feed-pull': {
          // A plan pulls what is new since its last pull, page by page.
          for (let more = true; more;) {
            const answer = await call(
              'reporting',
              'GET /v1/partners/:plan/utilization',
              'GET',
              `/v1/partners/${action.plan}/utilization?limit=1000&since=${feedCursor[action.plan]}`,
              token.partner(action.plan),
            );
            if (answer.status !== 200) return;
            const page = JSON.parse(answer.body) as { nextCursor: string; hasMore: boolean };
            feedCursor[action.plan] = page.nextCursor;
            more = page.hasMore;
          }
          return;
        }
        case 'help-queue':
          await call('membership', 'GET /v1/centers/:centerId/help-cases', 'GET', `/v1/centers/${action.centerId}/help-cases`, token.staff(action.centerId));
          return;
        case 'wifi-view':
          await call(
            'telehealth',
            'GET /v1/centers/:centerId/wifi-sessions',
            'GET',
            `/v1/centers/${action.centerId}/wifi-sessions`,
            token.staff(action.centerId),
          );
          return;
      }
    };

    // Offline actions queue at the moment they happen, with the kiosk's clock as their time.
    const enqueueOffline = (action: DayAction): boolean => {
      if (action.kind === 'check-in' && day.visits[action.visit].offlineCheckIn) {
        const v = day.visits[action.visit];
        queue(
          v.centerId,
          Promise.resolve({
            visit: v,
            item: {
              type: 'CHECK_IN',
              idempotencyKey: idempotencyKeys[v.index],
              occurredAt: new Date().toISOString(),
              ...(v.visitor ? { visitor: v.visitor } : {}),
              purposes: v.purposes,
            },
          }),
        );
        return true;
      }
      if (action.kind === 'check-out' && day.visits[action.visit].offlineCheckOut) {
        const v = day.visits[action.visit];
        const occurredAt = new Date().toISOString();
        const item = v.offlineCheckIn
          ? Promise.resolve({
              visit: v,
              item: { type: 'CHECK_OUT', idempotencyKey: `${idempotencyKeys[v.index]}-out`, occurredAt, checkInIdempotencyKey: idempotencyKeys[v.index] },
            })
          : visitIdOf.get(v.index)!.then((visitId) => ({
              visit: v,
              item: {
                type: 'CHECK_OUT',
                idempotencyKey: `${idempotencyKeys[v.index]}-out`,
                occurredAt,
                ...(visitId ? { visitId } : { checkInIdempotencyKey: idempotencyKeys[v.index] }),
              },
            }));
        queue(v.centerId, item);
        return true;
      }
      return false;
    };
    // The generator leaves offline check-ins and check-outs out of the schedule: put them back where they happen.
    const offlineActions: DayAction[] = day.visits.flatMap((v) => [
      ...(v.offlineCheckIn ? [{ kind: 'check-in' as const, minute: v.checkInMinute, visit: v.index }] : []),
      ...(v.offlineCheckOut && v.checkOutMinute !== undefined ? [{ kind: 'check-out' as const, minute: v.checkOutMinute, visit: v.index }] : []),
    ]);
    const schedule = [...day.actions, ...offlineActions].sort(
      (a, b) => a.minute - b.minute || (a.kind === 'kiosk-sync' ? 1 : 0) - (b.kind === 'kiosk-sync' ? 1 : 0),
    );

    const realSecondsPlanned = (day.lastMinute * 60) / settings.speed;
    ctx.progress.note(
      label(
        `${day.visits.length} visits at ${ctx.centers.length} centers, ${Math.round(day.lastMinute)} minutes of the day in ${Math.round(realSecondsPlanned)} s`,
      ),
    );
    const lateness: number[] = [];
    const pending = new Set<Promise<void>>();
    const startedAt = performance.now() + 500;
    const { cpu } = await measureCpu(
      {
        ...Object.fromEntries(SERVICES.map((s) => [s, () => [started[s].service.pid]])),
        store: () => ctx.storePids(),
        broker: () => (ctx.brokerPid ? [ctx.brokerPid] : []),
        'the benchmark': () => [process.pid],
      },
      async () => {
        let lastNote = 0;
        for (const action of schedule) {
          const due = startedAt + (action.minute * 60_000) / settings.speed;
          const wait = due - performance.now();
          if (wait > 1) await sleep(wait);
          lateness.push(Math.max(0, performance.now() - due));
          if (enqueueOffline(action)) continue;
          const task = run(action).catch((error: unknown) => ctx.progress.log(`day in the network: ${action.kind} failed: ${String(error)}`));
          pending.add(task);
          void task.then(() => pending.delete(task));
          if (performance.now() - lastNote > 5000) {
            lastNote = performance.now();
            const clock = 8 * 60 + action.minute;
            ctx.progress.note(
              label(
                `${String(Math.floor(clock / 60)).padStart(2, '0')}:${String(Math.floor(clock % 60)).padStart(2, '0')}, ${acceptedAt.size} check-ins accepted`,
              ),
            );
          }
        }
        await Promise.all(pending);
      },
    );
    const realSeconds = (performance.now() - startedAt) / 1000;

    // Settle: every member visit on its feed topic, and the dashboard agreeing with the kiosks; given up after
    // SETTLE_LIMIT_MS, or STALL_MS without any progress.
    const settleStarted = performance.now();
    const expected = [...acceptedAt].filter(([, a]) => a.visit.expectedPlan);
    const expectedOpen = acceptedAt.size - checkedOut;
    let dashboard = { visits: NaN, openVisits: NaN, helpBacklog: NaN, wifiInProgress: NaN };
    let settle: DayReconciliation['settle'] = 'agreed';
    let progressAt = performance.now();
    let lastProgress = '';
    for (const deadline = performance.now() + SETTLE_LIMIT_MS; ;) {
      const answer = await httpCall(agent, started.reporting.port, 'GET', '/v1/operations/dashboard', { authorization: `Bearer ${token.ops}` });
      if (answer.status === 200) {
        const network = (
          JSON.parse(answer.body) as {
            network: { visits: number; openVisitsNow: number; wifi: { sessionsInProgress: number }; membershipHelp: { backlog: number } };
          }
        ).network;
        dashboard = {
          visits: network.visits,
          openVisits: network.openVisitsNow,
          helpBacklog: network.membershipHelp.backlog,
          wifiInProgress: network.wifi.sessionsInProgress,
        };
      }
      const seen = expected.filter(([id]) => seenAt.has(id)).length;
      if (seen === expected.length && dashboard.visits === acceptedAt.size && dashboard.openVisits === expectedOpen) break;
      const state = `${seen}/${dashboard.visits}/${dashboard.openVisits}`;
      if (state !== lastProgress) [lastProgress, progressAt] = [state, performance.now()];
      ctx.progress.note(
        label(`waiting for reporting: ${seen} of ${expected.length} member visits in the feeds, dashboard ${dashboard.visits} of ${acceptedAt.size} visits`),
      );
      if (performance.now() - progressAt > STALL_MS) {
        settle = 'stalled';
        break;
      }
      if (performance.now() > deadline) {
        settle = 'limit';
        break;
      }
      await sleep(1000);
    }
    const settledAfterSeconds = (performance.now() - settleStarted) / 1000;
    await watcher.disconnect();

    // The pull feeds, read once in full: the latest revision of each visit per plan.
    const active = new Map<string, Set<PartnerPlan>>();
    for (const plan of ['LA_CARE', 'BLUE_SHIELD_PROMISE'] as const) {
      const latest = new Map<string, { revision: number; status: string }>();
      for (let cursor = encodeCursor(0), more = true; more;) {
        const answer = await httpCall(agent, started.reporting.port, 'GET', `/v1/partners/${plan}/utilization?limit=1000&since=${cursor}`, {
          authorization: `Bearer ${token.partner(plan)}`,
        });
        if (answer.status !== 200) throw new Error(`${plan}'s feed answered ${answer.status}: ${answer.body.slice(0, 300)}`);
        const page = JSON.parse(answer.body) as { items: Array<{ visitId: string; revision: number; status: string }>; nextCursor: string; hasMore: boolean };
        for (const item of page.items) if ((latest.get(item.visitId)?.revision ?? 0) < item.revision) latest.set(item.visitId, item);
        cursor = page.nextCursor;
        more = page.hasMore;
      }
      for (const [visitId, record] of latest) if (record.status === 'ACTIVE') active.set(visitId, new Set([...(active.get(visitId) ?? []), plan]));
    }
    agent.destroy();
    let lost = 0;
    let wrongPlan = 0;
    let inBothFeeds = 0;
    let communityInFeeds = 0;
    for (const [visitId, { visit }] of acceptedAt) {
      const plans = active.get(visitId);
      if (!visit.expectedPlan) {
        if (plans?.size) communityInFeeds++;
        continue;
      }
      if (!plans?.size) lost++;
      else if (plans.size > 1) inBothFeeds++;
      else if (!plans.has(visit.expectedPlan)) wrongPlan++;
    }
    const unknownInFeeds = [...active.keys()].filter((id) => !acceptedAt.has(id)).length;
    const delays = expected.filter(([id]) => seenAt.has(id)).map(([id, a]) => seenAt.get(id)! - a.at);

    const peakRssMb = Object.fromEntries(SERVICES.map((s) => [s, started[s].service.memory()?.peakMb ?? NaN])) as Record<HeapLimitedService, number>;
    const result: NetworkDayResult = {
      centers: ctx.centers.length,
      visits: day.visits.length,
      speed: settings.speed,
      simulatedMinutes: day.lastMinute,
      realSeconds,
      actions: schedule.length,
      outages: day.outages,
      syncedItems,
      routes: routes.routes(),
      freshness: {
        visits: expected.length,
        notSeen: expected.length - delays.length,
        p50Ms: percentile(delays, 50),
        p99Ms: percentile(delays, 99),
        maxMs: percentile(delays, 100),
      },
      reconciliation: {
        accepted: acceptedAt.size,
        refused,
        expectedInFeeds: expected.length,
        lost,
        wrongPlan,
        inBothFeeds,
        communityInFeeds,
        unknownInFeeds,
        dashboard: {
          visits: dashboard.visits,
          expectedVisits: acceptedAt.size,
          openVisits: dashboard.openVisits,
          expectedOpenVisits: expectedOpen,
          helpBacklog: dashboard.helpBacklog,
          wifiInProgress: dashboard.wifiInProgress,
        },
        settledAfterSeconds,
        settle,
      },
      schedulerLateP99Ms: percentile(lateness, 99),
      peakRssMb,
      cpu,
      statements: {} as Record<HeapLimitedService, StatementShare[]>,
    };
    await Promise.all(SERVICES.map((s) => started[s].service.stop()));
    for (const s of SERVICES) result.statements[s] = statementsBetween(profilesBeforeDay[s], readStatementProfile(started[s].statementsFile), 4);
    ctx.progress.step(
      label(`worst route p99 ${Math.round(result.routes[0]?.p99Ms ?? NaN)} ms, freshness p99 ${Math.round(result.freshness.p99Ms)} ms, ${lost} lost`),
    );
    return result;
  } finally {
    await Promise.all(Object.values(started).map((s) => s.service.stop()));
  }
}

import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UtilizationRecordedV1Events, VisitCheckedInV1Event } from '@crc/contracts';
import { aCheckIn, devTokens, eventually, seedFile } from '@crc/testing';
import { startTestSystem, TestSystem } from './support/test-system';
import { TopicProbe } from './support/topic-probe';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

/** Splits a W3C traceparent into its trace id and span id. */
function parts(traceparent: string | undefined): { traceId: string; spanId: string } {
  const match = TRACEPARENT.exec(traceparent ?? '');
  if (!match) throw new Error(`not a traceparent: ${traceparent}`);
  return { traceId: match[1], spanId: match[2] };
}

/** The value of one series in a Prometheus text exposition, matched by name and label subset. */
function sample(exposition: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...match[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

/**
 * Operations: one check-in followed end to end by its W3C trace context (the kiosk's request,
 * the check-in event's Kafka header, reporting's processing and the plan's feed message it
 * publishes), and the Prometheus metrics every service exposes at /metrics.
 */
describe('tracing and metrics', () => {
  let system: TestSystem;
  let probe: TopicProbe;
  const center = 'crc-el-monte';
  const topic = (t: string) => `${system.prefix}.${t}`;

  beforeAll(async () => {
    system = await startTestSystem(['checkin', 'reporting']);
    const upload = await system
      .api('reporting', devTokens.partner('LA_CARE'))
      .put('/v1/partners/LA_CARE/eligibility', readFileSync(seedFile('rosters', 'la-care.ndjson'), 'utf8'), { 'content-type': 'application/x-ndjson' });
    expect(upload.status).toBe(200);
    const topics = [topic(VisitCheckedInV1Event.topic), topic(UtilizationRecordedV1Events.LA_CARE.topic), topic('crc.reporting.dead-letter.v1')];
    // Reporting creates its topics in the background; a probe cannot subscribe before they exist.
    const admin = new Kafka({ brokers: system.kafkaBrokers, clientId: 'test-admin', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await eventually(
        () => admin.listTopics(),
        (existing) => topics.every((t) => existing.includes(t)),
        { what: "reporting's topics" },
      );
    } finally {
      await admin.disconnect();
    }
    probe = await TopicProbe.start(system.kafkaBrokers, topics);
  });

  afterAll(async () => {
    await probe?.stop();
    await system?.close();
  });

  it("carries a check-in's traceparent through Kafka to reporting, which continues the trace in what it publishes", async () => {
    const traceId = randomBytes(16).toString('hex');
    const kioskSpanId = randomBytes(8).toString('hex');
    const response = await system
      .api('checkin', devTokens.kiosk(center))
      .post(`/v1/centers/${center}/check-ins`, aCheckIn({ memberId: 'LAC100001' }), { traceparent: `00-${traceId}-${kioskSpanId}-01` });
    expect(response.status).toBe(201);
    const visitId = response.body.visitId as string;

    const [checkedIn] = await probe
      .waitFor((all) => all.some((m) => m.topic === topic(VisitCheckedInV1Event.topic) && m.key === visitId), 'the check-in event')
      .then((all) => all.filter((m) => m.topic === topic(VisitCheckedInV1Event.topic) && m.key === visitId));
    // The same trace, one hop further: the check-in service's own span, not the kiosk's.
    const published = parts(checkedIn.headers.traceparent);
    expect(published.traceId).toBe(traceId);
    expect(published.spanId).not.toBe(kioskSpanId);

    const [fed] = await probe
      .waitFor(
        (all) => all.some((m) => m.topic === topic(UtilizationRecordedV1Events.LA_CARE.topic) && m.envelope.data.visitId === visitId),
        "the visit in L.A. Care's feed topic",
      )
      .then((all) => all.filter((m) => m.topic === topic(UtilizationRecordedV1Events.LA_CARE.topic) && m.envelope.data.visitId === visitId));
    // Reporting continued the trace: its message belongs to it, from a span of its own.
    const continued = parts(fed.headers.traceparent);
    expect(continued.traceId).toBe(traceId);
    expect([kioskSpanId, published.spanId]).not.toContain(continued.spanId);
  });

  it('keeps the trace of an event it cannot read on the dead letter, and counts it', async () => {
    const traceId = randomBytes(16).toString('hex');
    const kafka = new Kafka({ brokers: system.kafkaBrokers, clientId: 'test-producer', logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic: topic(VisitCheckedInV1Event.topic),
        messages: [{ key: 'poison-traced', value: '{not json', headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } }],
      });
    } finally {
      await producer.disconnect();
    }
    const [parked] = await probe
      .waitFor((all) => all.some((m) => m.key === 'poison-traced' && m.topic === topic('crc.reporting.dead-letter.v1')), 'the dead letter')
      .then((all) => all.filter((m) => m.key === 'poison-traced' && m.topic === topic('crc.reporting.dead-letter.v1')));
    expect(parts(parked.headers.traceparent).traceId).toBe(traceId);

    const metrics = await eventually(
      () => system.api('reporting').get<string>('/metrics'),
      (r) => (sample(r.body, 'crc_kafka_dead_letters_total', { topic: VisitCheckedInV1Event.topic }) ?? 0) >= 1,
      { what: 'the dead letter to be counted' },
    );
    expect(metrics.status).toBe(200);
  });

  it('exposes request, outbox, consumer and attribution metrics at /metrics, without authentication', async () => {
    const checkin = await system.api('checkin').get<string>('/metrics');
    expect(checkin.status).toBe(200);
    expect(checkin.headers.get('content-type')).toContain('text/plain');
    expect(
      sample(checkin.body, 'http_server_request_duration_seconds_count', {
        service: 'checkin',
        method: 'POST',
        route: '/v1/centers/:centerId/check-ins',
        status_code: '201',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(checkin.body, 'crc_outbox_pending_documents', { service: 'checkin', collection: 'visits' })).toEqual(expect.any(Number));
    expect(sample(checkin.body, 'process_cpu_seconds_total', { service: 'checkin' })).toEqual(expect.any(Number));
    // Counts and templates only: neither ids nor member data end up in a label.
    expect(checkin.body).not.toMatch(/LAC100001|crc-el-monte/);

    const reporting = await eventually(
      () => system.api('reporting').get<string>('/metrics'),
      (r) => (sample(r.body, 'crc_attributions_total', { plan: 'LA_CARE', basis: 'ELIGIBILITY', kind: 'first' }) ?? 0) >= 1,
      { what: 'the attribution to be counted' },
    );
    expect(sample(reporting.body, 'crc_kafka_consumer_lag', { group: 'crc.reporting.projections.v1', topic: VisitCheckedInV1Event.topic })).toEqual(
      expect.any(Number),
    );
    expect(sample(reporting.body, 'crc_kafka_events_consumed_total', { topic: VisitCheckedInV1Event.topic })).toBeGreaterThanOrEqual(1);
    expect(sample(reporting.body, 'crc_outbox_pending_documents', { collection: 'visit_attributions' })).toEqual(expect.any(Number));
    expect(reporting.body).not.toMatch(/LAC100001/);
  });

  it('has the Grafana dashboard plot only metrics that the services expose', async () => {
    const dashboard = readFileSync(join(__dirname, '..', 'deploy/observability/grafana/dashboards/crc-services.json'), 'utf8');
    const plotted = new Set([...dashboard.matchAll(/\b((?:crc|http_server|process|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1].replace(/_(bucket|count|sum)$/, '')));
    const exposed = `${(await system.api('checkin').get<string>('/metrics')).body}${(await system.api('reporting').get<string>('/metrics')).body}`;
    expect(plotted.size).toBeGreaterThan(5);
    expect([...plotted].filter((name) => !exposed.includes(`# TYPE ${name} `))).toEqual([]);
  });
});

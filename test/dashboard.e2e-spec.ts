import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { aCheckIn, devTokens, eventually, seedFile } from '@crc/testing';
import { startTestSystem, TestSystem } from './support/test-system';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Operations watch the network live: an API of counts only, a stream, and a page that follows it. */
describe('operations dashboard', () => {
  let system: TestSystem;
  let browser: Browser | undefined;

  beforeAll(async () => {
    system = await startTestSystem(['checkin', 'reporting']);
  });

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  const ops = () => system.api('reporting', devTokens.ops());
  const checkInMany = async (n: number, center: string, memberId?: string) => {
    const kiosk = system.api('checkin', devTokens.kiosk(center));
    for (let i = 0; i < n; i++) expect((await kiosk.post(`/v1/centers/${center}/check-ins`, aCheckIn({ memberId, selfReportedPlan: memberId ? 'LA_CARE' : undefined }))).status).toBe(201);
  };

  it('shows exact counts per center and network-wide, small ones included, with no member identifiers', async () => {
    await checkInMany(12, 'crc-lancaster', 'OPS-MEMBER-1');
    await checkInMany(3, 'crc-pomona');
    const summary = await eventually(
      () => ops().get('/v1/operations/dashboard'),
      (r) => r.body.network?.visits === 15 && r.body.network.visitsPerPlan.LA_CARE === 12,
      { what: '15 visits, 12 of them attributed to L.A. Care' },
    );
    expect(summary.status).toBe(200);
    const lancaster = summary.body.centers.find((c: { centerId: string }) => c.centerId === 'crc-lancaster');
    expect(lancaster).toMatchObject({ visits: 12, visitsPerPlan: { LA_CARE: 12, BLUE_SHIELD_PROMISE: 0, COMMUNITY: 0 } });
    // Twelve visits of one member are one unique visitor: operations see the 1 (counts are exact here, identities never).
    expect(lancaster.uniqueVisitors).toBe(1);
    const pomona = summary.body.centers.find((c: { centerId: string }) => c.centerId === 'crc-pomona');
    expect(pomona).toMatchObject({ visits: 3, visitsPerPlan: { COMMUNITY: 3 }, sharedCost: { communityVisits: 3, LA_CARE: 1.5, BLUE_SHIELD_PROMISE: 1.5 } });
    expect(JSON.stringify(summary.body)).not.toContain('suppressed');
    expect(summary.body.centers).toHaveLength(14);
    expect(JSON.stringify(summary.body)).not.toContain('OPS-MEMBER-1');

    expect((await system.api('reporting', devTokens.partner('LA_CARE')).get('/v1/operations/dashboard')).status).toBe(403);
    expect((await system.api('reporting').get('/v1/operations/dashboard/stream')).status).toBe(401);
    expect((await ops().get('/v1/operations/dashboard?from=2026-02-01&to=2026-01-01')).body.error.code).toBe('DASHBOARD.INVALID_RANGE');
  });

  it('updates the page live in a browser when a visitor checks in', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (see .ci/run) or set CHROMIUM_PATH`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage();
    const base = system.api('reporting').baseUrl;
    await page.goto(`${base}/dashboard`);
    await page.fill('#token', devTokens.ops());
    await page.click('#login button');
    const visits = page.getByTestId('network-visits');
    await eventually(() => visits.textContent(), (text) => text === '15', { what: 'the page to show 15 visits' });
    const lancaster = page.getByTestId('visits-crc-lancaster');
    expect(await lancaster.textContent()).toBe('12');
    expect(await page.getByTestId('visits-crc-pomona').textContent()).toBe('3');

    await checkInMany(11, 'crc-pomona');
    // No reload: the stream brings the change.
    await eventually(() => visits.textContent(), (text) => text === '26', { what: 'the page to show 26 visits', timeoutMs: 30_000 });
    await eventually(() => page.getByTestId('visits-crc-pomona').textContent(), (text) => text === '14', { what: 'Pomona to show 14' });
    expect(await page.getByTestId('status').textContent()).toContain('Live');
    const bars = await page.locator('#per-service rect').count();
    expect(bars).toBe(6);
  });
});

describe('operations dashboard: live streams are bounded and share their summaries', () => {
  let system: TestSystem;
  const otherOpsToken = 'second-operations-token-for-stream-limits';
  const open: AbortController[] = [];

  beforeAll(async () => {
    // The development credentials, plus a second operations token: the total cap spans credentials.
    const credentials = JSON.parse(readFileSync(seedFile('credentials.json'), 'utf8'));
    credentials.ops.push({ id: 'ops:second', token: otherOpsToken });
    const credentialsFile = join(mkdtempSync(join(tmpdir(), 'crc-credentials-')), 'credentials.json');
    writeFileSync(credentialsFile, JSON.stringify(credentials));
    system = await startTestSystem(['checkin', 'reporting'], {
      CREDENTIALS_FILE: credentialsFile,
      DASHBOARD_STREAMS_PER_CREDENTIAL: '2',
      DASHBOARD_STREAMS_TOTAL: '3',
    });
  });

  afterAll(async () => {
    for (const controller of open) controller.abort();
    await system?.close();
  });

  /** Opens a stream and reads it until its first summary; the connection stays open. */
  async function openStream(token: string): Promise<{ status: number; body?: { error: { code: string } }; retryAfter: string | null; summaries: () => number; close: () => void }> {
    const controller = new AbortController();
    const response = await fetch(`${system.api('reporting').baseUrl}/v1/operations/dashboard/stream`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    if (response.status !== 200) return { status: response.status, body: (await response.json()) as { error: { code: string } }, retryAfter: response.headers.get('retry-after'), summaries: () => 0, close: () => undefined };
    open.push(controller);
    let summaries = 0;
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let firstSeen!: () => void;
    const first = new Promise<void>((resolve) => (firstSeen = resolve));
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          summaries += (decoder.decode(value, { stream: true }).match(/event: summary/g) ?? []).length;
          if (summaries > 0) firstSeen();
        }
      } catch {
        // aborted
      }
    })();
    await first;
    return { status: 200, retryAfter: null, summaries: () => summaries, close: () => controller.abort() };
  }

  it('refuses a credential past its share with 429 and everyone past the total with 503, and fans each change out to every stream', async () => {
    const a1 = await openStream(devTokens.ops());
    const a2 = await openStream(devTokens.ops());
    const a3 = await openStream(devTokens.ops());
    expect([a3.status, a3.body?.error.code, a3.retryAfter]).toEqual([429, 'DASHBOARD.TOO_MANY_STREAMS', '30']);
    const b1 = await openStream(otherOpsToken);
    expect(b1.status).toBe(200);
    const b2 = await openStream(otherOpsToken);
    expect([b2.status, b2.body?.error.code]).toEqual([503, 'DASHBOARD.STREAMS_AT_CAPACITY']);

    // One check-in: every open stream gets the new summary.
    const kiosk = system.api('checkin', devTokens.kiosk('crc-compton'));
    expect((await kiosk.post('/v1/centers/crc-compton/check-ins', aCheckIn())).status).toBe(201);
    await eventually(
      async () => [a1.summaries(), a2.summaries(), b1.summaries()],
      (counts) => counts.every((n) => n >= 2),
      { what: 'every stream to get the summary of the change' },
    );

    // A closed stream frees its place.
    a1.close();
    const again = await eventually(() => openStream(devTokens.ops()), (s) => s.status === 200, { what: 'a place to free up' });
    expect(again.status).toBe(200);
  });
});

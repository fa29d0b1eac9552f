import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { serviceDateOf, startOfServiceDate, VISIT_PURPOSE_NAMES, VISIT_PURPOSES } from '@crc/contracts';
import { aCheckIn, devTokens, EventStream, eventually, seedFile } from '@crc/testing';
import { startTestSystem, TestSystem } from './support/test-system';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of every browser step, kept for review (git-ignored; see docs/dashboard.md). */
const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'dashboard');

/**
 * Text whose contrast with the background it is drawn on is below 4.5:1 (WCAG 2.1, 1.4.3), among
 * the elements rendered now (a closed table has no boxes). Backgrounds are the nearest opaque one.
 */
// String.raw: the regular expressions below reach the browser with their backslashes.
const CONTRAST_FAILURES = String.raw`(() => {
  const rgb = (value) => { const m = /rgba?\(([^)]+)\)/.exec(value); if (!m) return null; const [r, g, b, a = 1] = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return { r, g, b, a }; };
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const backgroundOf = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c && c.a > 0) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
  const failures = [];
  let checked = 0;
  for (const el of document.querySelectorAll('body *')) {
    if (el.getClientRects().length === 0) continue;
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    const style = getComputedStyle(el);
    const ink = rgb(el instanceof SVGElement ? style.fill : style.color);
    if (!ink) continue;
    // A colour this check cannot read must fail it, not pass it unseen.
    if ([ink.r, ink.g, ink.b].some(Number.isNaN)) { failures.push(el.textContent.trim().slice(0, 40) + ': unreadable colour ' + style.color); continue; }
    const [light, dark] = [luminance(ink), luminance(backgroundOf(el))].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    checked++;
    if (ratio < 4.5) failures.push(el.textContent.trim().slice(0, 40) + ': ' + ratio.toFixed(2));
  }
  return { checked, failures };
})()`;

async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (see .ci/run) or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Operations watch the network live: an API of counts only, a stream, and a page that follows it. */
describe('operations dashboard', () => {
  let system: TestSystem;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  const offOrigin: string[] = [];
  const summaryCenters: Array<{ centerId: string; name: string }> = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    system = await startTestSystem(['checkin', 'reporting']);
  });

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  const ops = () => system.api('reporting', devTokens.ops());
  const base = () => system.api('reporting').baseUrl;
  const checkInMany = async (n: number, center: string, memberId?: string) => {
    const kiosk = system.api('checkin', devTokens.kiosk(center));
    for (let i = 0; i < n; i++)
      expect((await kiosk.post(`/v1/centers/${center}/check-ins`, aCheckIn({ memberId, selfReportedPlan: memberId ? 'LA_CARE' : undefined }))).status).toBe(
        201,
      );
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
    summaryCenters.push(...summary.body.centers);
    expect(JSON.stringify(summary.body)).not.toContain('OPS-MEMBER-1');

    expect((await system.api('reporting', devTokens.partner('LA_CARE')).get('/v1/operations/dashboard')).status).toBe(403);
    expect((await system.api('reporting').get('/v1/operations/dashboard/stream')).status).toBe(401);
    expect((await ops().get('/v1/operations/dashboard?from=2026-02-01&to=2026-01-01')).body.error.code).toBe('DASHBOARD.INVALID_RANGE');
  });

  it('updates the page live in a browser when a visitor checks in', async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Anything the page asks of another origin fails the test: it must work without the internet.
    page.on('request', (request) => {
      if (!request.url().startsWith(base())) offOrigin.push(request.url());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${base()}/dashboard`);
    await page.fill('#token', devTokens.ops());
    await page.click('#login button');
    const visits = page.getByTestId('network-visits');
    await eventually(
      () => visits.textContent(),
      (text) => text === '15',
      { what: 'the page to show 15 visits' },
    );
    const lancaster = page.getByTestId('visits-crc-lancaster');
    expect(await lancaster.textContent()).toBe('12');
    expect(await page.getByTestId('visits-crc-pomona').textContent()).toBe('3');

    await checkInMany(11, 'crc-pomona');
    // No reload: the stream brings the change.
    await eventually(
      () => visits.textContent(),
      (text) => text === '26',
      { what: 'the page to show 26 visits', timeoutMs: 30_000 },
    );
    await eventually(
      () => page.getByTestId('visits-crc-pomona').textContent(),
      (text) => text === '14',
      { what: 'Pomona to show 14' },
    );
    expect(await page.getByTestId('status').textContent()).toContain('Live');
    await page.screenshot({ path: join(ARTIFACTS, 'operations-today.png'), fullPage: true });
  });

  it('draws axes and a value on every chart, names services in full, states the time zone, and shows every figure of the summary', async () => {
    const summary = (await ops().get('/v1/operations/dashboard')).body;
    expect(summary.network.visits).toBe(26);

    // Hours: a category axis 0 to 23 in Los Angeles time, a value axis, one bar per hour carrying the API's count.
    const hourChart = page.getByTestId('chart-hour');
    expect(await hourChart.locator('.x-axis .tick text').allTextContents()).toEqual(Array.from({ length: 24 }, (_, h) => String(h)));
    const hourTicks = (await hourChart.locator('.y-axis .tick text').allTextContents()).map(Number);
    expect(hourTicks[0]).toBe(0);
    expect(Math.max(...hourTicks)).toBeGreaterThanOrEqual(Math.max(...summary.network.visitsPerHour.map((h: { count: number }) => h.count)));
    const hourValues = await hourChart.locator('rect.bar').evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('data-value'))));
    expect(hourValues).toEqual(summary.network.visitsPerHour.map((h: { count: number }) => h.count));
    const busiest = summary.network.visitsPerHour.filter((h: { count: number }) => h.count > 0).map((h: { count: number }) => String(h.count));
    expect(busiest.length).toBeGreaterThan(0);
    expect(await hourChart.locator('text.value').allTextContents()).toEqual(busiest);
    expect(await hourChart.locator('.axis-title').allTextContents()).toEqual(['Hour of check-in (Los Angeles time, 0 = midnight)', 'Visits']);
    expect(await page.locator('#hour-caption-note').textContent()).toContain('Los Angeles time (America/Los_Angeles)');
    expect(await hourChart.locator('svg').getAttribute('role')).toBe('img');

    // Services: the contracts' names, never initials; a value on every bar, zeros included.
    const serviceChart = page.getByTestId('chart-service');
    expect(await serviceChart.locator('text.category').allTextContents()).toEqual(VISIT_PURPOSES.map((p) => VISIT_PURPOSE_NAMES[p]));
    expect(await serviceChart.locator('text.value').allTextContents()).toEqual(VISIT_PURPOSES.map((p) => String(summary.network.visitsPerService[p])));
    expect(summary.network.visitsPerService.EXERCISE_CLASS).toBe(26);
    expect(await serviceChart.locator('.x-axis .tick text').count()).toBeGreaterThanOrEqual(2);
    expect(await serviceChart.textContent()).not.toMatch(/\b(EC|NC|HS|TW|MH)\b/);
    // The same figures as a table, for screen readers.
    const serviceRows = await page
      .getByTestId('table-service')
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    expect(serviceRows).toEqual(VISIT_PURPOSES.map((p) => [VISIT_PURPOSE_NAMES[p], String(summary.network.visitsPerService[p])]));

    // A figure without data says why; the shared-cost split and each center's unique visitors are shown.
    expect(await page.getByTestId('network-help').locator('[data-figure="median-resolution"]').textContent()).toBe('no resolved cases yet');
    const pomona = summary.centers.find((c: { centerId: string }) => c.centerId === 'crc-pomona');
    expect(pomona.sharedCost).toEqual({ communityVisits: 14, LA_CARE: 7, BLUE_SHIELD_PROMISE: 7 });
    expect(await page.getByTestId('network-shared-cost').textContent()).toBe(
      'Community visits: 14L.A. Care pays for: 7 (50%)Blue Shield Promise pays for: 7 (50%)',
    );
    const pomonaTile = page.getByTestId('center-crc-pomona');
    expect(await pomonaTile.locator('[data-figure="share-LA_CARE"]').textContent()).toBe('7');
    expect(await pomonaTile.locator('[data-figure="share-BLUE_SHIELD_PROMISE"]').textContent()).toBe('7');
    expect(await pomonaTile.locator('[data-figure="unique"]').textContent()).toBe(String(pomona.uniqueVisitors));
    expect(await page.getByTestId('center-crc-lancaster').locator('[data-figure="unique"]').textContent()).toBe('1');
    expect(await page.getByTestId('network-unique').textContent()).toBe(String(summary.network.uniqueVisitors));

    // One center's charts.
    await page.selectOption('#scope', 'crc-lancaster');
    expect(await serviceChart.locator('text.value').first().textContent()).toBe('12');
  });

  it('loads a past day from the date picker, and shows the API’s refusal of a range past its cap', async () => {
    // Four community visits at Compton three days ago, 10:00 in Los Angeles (a kiosk back from an outage).
    const pastDay = serviceDateOf(new Date(Date.now() - 3 * 86_400_000));
    const tenInTheMorning = new Date(startOfServiceDate(pastDay).getTime() + 10 * 3600_000).toISOString();
    const kiosk = system.api('checkin', devTokens.kiosk('crc-compton'));
    for (let i = 0; i < 4; i++)
      expect(
        (await kiosk.post('/v1/centers/crc-compton/check-ins', { ...aCheckIn({ purposes: ['HEALTH_SCREENING'] }), occurredAt: tenInTheMorning })).status,
      ).toBe(201);
    await eventually(
      () => ops().get(`/v1/operations/dashboard?from=${pastDay}`),
      (r) => r.body.network?.visits === 4,
      { what: 'the past day to count 4 visits' },
    );

    await page.fill('#from', pastDay);
    await page.fill('#to', pastDay);
    await page.click('#range button');
    const visits = page.getByTestId('network-visits');
    await eventually(
      () => visits.textContent(),
      (text) => text === '4',
      { what: 'the page to show the past day' },
    );
    expect(await page.getByTestId('visits-crc-compton').textContent()).toBe('4');
    const dayShown = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' }).format(
      new Date(`${pastDay}T12:00:00Z`),
    );
    expect(await page.getByTestId('range-title').textContent()).toBe(dayShown);
    expect(await page.getByTestId('network-open').textContent()).toBe('not applicable');
    await page.selectOption('#scope', 'network');
    const hourValues = await page
      .getByTestId('chart-hour')
      .locator('rect.bar')
      .evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('data-value'))));
    expect(hourValues[10]).toBe(4);
    expect(hourValues.reduce((a, b) => a + b, 0)).toBe(4);
    expect(await page.getByTestId('chart-service').locator('text.value').nth(VISIT_PURPOSES.indexOf('HEALTH_SCREENING')).textContent()).toBe('4');
    await page.screenshot({ path: join(ARTIFACTS, 'operations-past-day.png'), fullPage: true });

    // Past the cap: the API's own code and message, and the view stays on the day shown.
    const tooEarly = new Date(Date.parse(`${pastDay}T12:00:00Z`) - 400 * 86_400_000).toISOString().slice(0, 10);
    const refusal = (await ops().get(`/v1/operations/dashboard?from=${tooEarly}&to=${pastDay}`)).body.error;
    expect(refusal.code).toBe('DASHBOARD.INVALID_RANGE');
    await page.fill('#from', tooEarly);
    await page.fill('#to', pastDay);
    await page.click('#range button');
    const error = page.getByTestId('range-error');
    await error.waitFor({ state: 'visible' });
    expect(await error.getAttribute('data-code')).toBe('DASHBOARD.INVALID_RANGE');
    expect(await error.textContent()).toBe(`${refusal.message} (DASHBOARD.INVALID_RANGE)`);
    expect(await visits.textContent()).toBe('4');
    await page.screenshot({ path: join(ARTIFACTS, 'operations-range-refused.png') });

    // Every change of range replaced the page's stream: it holds one place, not one per range.
    await page.click('#today');
    await eventually(
      () => visits.textContent(),
      (text) => text === '26',
      { what: 'today again' },
    );
    expect(await error.isHidden()).toBe(true);
    await eventually(
      async () => /^crc_dashboard_streams_open(?:\{[^}]*\})? (\d+)/m.exec((await system.api('reporting').get<string>('/metrics')).body)?.[1],
      (open) => open === '1',
      { what: 'one open stream' },
    );
  });

  it('fits a tablet: 768 px wide without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await eventually(
      () => page.getByTestId('network-visits').textContent(),
      (text) => text === '26',
      { what: 'the page at tablet width' },
    );
    const widths = await page.evaluate<{ document: number; viewport: number }>(
      '({ document: document.documentElement.scrollWidth, viewport: window.innerWidth })',
    );
    expect(widths.viewport).toBe(768);
    expect(widths.document).toBeLessThanOrEqual(768);
    for (const chart of ['chart-hour', 'chart-service']) {
      const box = (await page.getByTestId(chart).locator('svg').boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(768);
      // One column: the chart keeps at least 80% of its drawn size, so its text stays readable.
      expect(box.width).toBeGreaterThanOrEqual(0.8 * 720);
    }
    const contrast = await page.evaluate<{ checked: number; failures: string[] }>(CONTRAST_FAILURES);
    expect(contrast.checked).toBeGreaterThan(100);
    expect(contrast.failures).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'operations-tablet.png'), fullPage: true });
  });

  it('shows a plan its own summary with suppressed cells drawn as suppressed, never as zero', async () => {
    const month = serviceDateOf(new Date()).slice(0, 7);
    const published = (await system.api('reporting', devTokens.partner('LA_CARE')).get(`/v1/partners/LA_CARE/utilization/summary?month=${month}`)).body;
    const planPage = await browser!.newPage({ viewport: { width: 768, height: 1024 } });
    planPage.on('pageerror', (error) => pageErrors.push(error.message));
    await planPage.goto(`${base()}/dashboard`);
    await planPage.selectOption('#role', 'LA_CARE');
    await planPage.fill('#token', devTokens.partner('LA_CARE'));
    await planPage.click('#login button');
    await planPage.getByTestId('plan-title').filter({ hasText: 'L.A. Care' }).waitFor();

    // Community visits per center: Pomona's 14 shown, every other center (0 to 10) hatched and labelled.
    const community = planPage.getByTestId('chart-plan-community');
    const drawn = await community.locator('rect.bar').evaluateAll((bars) =>
      bars.map((b) => ({
        label: b.getAttribute('data-label'),
        value: b.getAttribute('data-value'),
        suppressed: b.getAttribute('data-suppressed') === 'true',
        fill: b.getAttribute('fill'),
        width: Number(b.getAttribute('width')),
      })),
    );
    const centerNames = Object.fromEntries(summaryCenters.map((c) => [c.centerId, c.name]));
    expect(drawn.map((d) => [d.label, d.suppressed ? 'suppressed' : Number(d.value)])).toEqual(
      published.community.map((c: { centerId: string; visits: number | null }) => [centerNames[c.centerId], c.visits ?? 'suppressed']),
    );
    expect(drawn.find((d) => d.label === 'Pomona')).toMatchObject({ value: '14', suppressed: false });
    const hatched = drawn.filter((d) => d.suppressed);
    expect(hatched.length).toBeGreaterThan(0);
    for (const bar of hatched) {
      expect(bar.fill).toMatch(/^url\(#.+-hatch\)$/);
      expect(bar.width).toBeGreaterThan(0);
    }
    expect(await community.locator('text.suppressed-label').allTextContents()).toEqual(hatched.map(() => 'suppressed'));
    expect(await planPage.getByTestId('plan-legend').textContent()).toContain('a count below 11 (zero included)');
    expect(published.communityTotal.suppressed).toBe(true);
    expect(await planPage.getByTestId('plan-community').textContent()).toBe('suppressed');

    // Lancaster's twelve self-reported L.A. Care visits, all exercise classes: shown; the other services hatched.
    await planPage.selectOption('#plan-center', 'crc-lancaster');
    await planPage.selectOption('#plan-product-line', 'UNVERIFIED');
    const services = planPage.getByTestId('chart-plan-services');
    expect(await services.locator('text.category').allTextContents()).toEqual(VISIT_PURPOSES.map((p) => VISIT_PURPOSE_NAMES[p]));
    expect(await services.locator('text.value').allTextContents()).toEqual(VISIT_PURPOSES.map((p) => (p === 'EXERCISE_CLASS' ? '12' : 'suppressed')));
    expect(await services.locator('rect.bar.suppressed').count()).toBe(VISIT_PURPOSES.length - 1);
    expect(await planPage.getByTestId('table-plan-services').locator('td.suppressed').count()).toBeGreaterThan(0);
    expect(await planPage.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
    expect((await planPage.evaluate<{ failures: string[] }>(CONTRAST_FAILURES)).failures).toEqual([]);
    await planPage.screenshot({ path: join(ARTIFACTS, 'plan-summary-suppressed.png'), fullPage: true });
    await planPage.close();

    expect(pageErrors).toEqual([]);
    expect(offOrigin).toEqual([]);
  });
});

describe('operations dashboard: live streams are bounded and share their summaries', () => {
  let system: TestSystem;
  const otherOpsToken = 'second-operations-token-for-stream-limits';
  const open: EventStream[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
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
    for (const stream of open) stream.close();
    await system?.close();
  });

  /**
   * Opens a stream and waits for its first summary; the connection stays open. The test client
   * holds the opening answer and every event to the OpenAPI document (x-event-schema).
   */
  async function openStream(token: string): Promise<EventStream<{ error: { code: string } }> & { summaries: () => number }> {
    const stream = await system.api('reporting', token).events('/v1/operations/dashboard/stream');
    if (stream.status === 200) {
      open.push(stream);
      await stream.received(1);
    }
    return Object.assign(stream, { summaries: () => stream.events.filter((e) => e.event === 'summary').length });
  }

  it('refuses a credential past its share with 429 and everyone past the total with 503, and fans each change out to every stream', async () => {
    const a1 = await openStream(devTokens.ops());
    const a2 = await openStream(devTokens.ops());
    const a3 = await openStream(devTokens.ops());
    expect([a3.status, a3.body?.error.code, a3.headers.get('retry-after')]).toEqual([429, 'DASHBOARD.TOO_MANY_STREAMS', '30']);
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
    // Each event was checked against the document as it came; this one carries the check-in.
    expect(JSON.parse(b1.events[b1.events.length - 1].data).network.visits).toBe(1);

    // A closed stream frees its place.
    a1.close();
    const again = await eventually(
      () => openStream(devTokens.ops()),
      (s) => s.status === 200,
      { what: 'a place to free up' },
    );
    expect(again.status).toBe(200);
  });

  it('the page says why it is refused a stream, and when it will try again', async () => {
    // The operations token holds its 2 places already (a2 and the one reopened above).
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${system.api('reporting').baseUrl}/dashboard`);
      await page.fill('#token', devTokens.ops());
      await page.click('#login button');
      const status = page.getByTestId('status');
      await eventually(
        () => status.textContent(),
        (text) => text?.includes('TOO_MANY_STREAMS') === true,
        { what: 'the refusal on the page' },
      );
      expect(await status.textContent()).toBe(
        'This credential has 2 live streams open already; close one first. (DASHBOARD.TOO_MANY_STREAMS) Trying again in 30 s.',
      );
      await page.screenshot({ path: join(ARTIFACTS, 'operations-stream-refused.png') });
    } finally {
      await browser.close();
    }
  });
});

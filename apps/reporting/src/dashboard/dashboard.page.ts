import {
  ATTRIBUTED_PLAN_NAMES,
  ATTRIBUTED_PLANS,
  DASHBOARD_MAX_RANGE_DAYS,
  PARTNER_PLANS,
  SERVICE_TIME_ZONE,
  SMALL_CELL_THRESHOLD,
  VISIT_PURPOSE_NAMES,
  VISIT_PURPOSES,
} from '@crc/contracts';
import { DASHBOARD_SCRIPT } from './dashboard-page.script';
import { DASHBOARD_STYLES } from './dashboard-page.styles';

export interface DashboardPageCenter {
  centerId: string;
  name: string;
}

/** What the page's script needs to know, all from the contracts and the center directory. */
export function dashboardPageConfig(centers: DashboardPageCenter[]) {
  return {
    purposes: VISIT_PURPOSES.map((code) => ({ code, name: VISIT_PURPOSE_NAMES[code] })),
    plans: ATTRIBUTED_PLANS.map((code) => ({ code, name: ATTRIBUTED_PLAN_NAMES[code] })),
    partnerPlans: PARTNER_PLANS,
    timeZone: SERVICE_TIME_ZONE,
    timeZoneName: 'Los Angeles time',
    timeZoneAbbreviation: 'PT',
    maxRangeDays: DASHBOARD_MAX_RANGE_DAYS,
    smallCellThreshold: SMALL_CELL_THRESHOLD,
    centers: centers.map(({ centerId, name }) => ({ centerId, name })),
  };
}

/** JSON inside a script element: `<` escaped so that no value can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const planOptions = PARTNER_PLANS.map((plan) => `<option value="${plan}">${ATTRIBUTED_PLAN_NAMES[plan]} (plan summary)</option>`).join('');

/**
 * The operations dashboard: one page, no build step, nothing loaded from another origin. It asks
 * for a token (kept in session storage only). With an operations token it follows the live
 * stream with fetch (so the token travels in the Authorization header, never in a URL) and shows
 * exact counts; with a plan's token it shows that plan's monthly summary as the plan receives it,
 * suppressed cells drawn as suppressed.
 */
export function renderDashboardPage(centers: DashboardPageCenter[]): string {
  const suppressionLegend =
    `<p><span class="swatch hatched" aria-hidden="true"></span><strong>Suppressed</strong>: a count below ${SMALL_CELL_THRESHOLD} ` +
    '(zero included) that leaves operations is published as “suppressed”, never as a number, and so is any total that would let someone work it out. ' +
    `A hatched bar spans 0 to ${SMALL_CELL_THRESHOLD - 1}, the values it may have; it is not zero.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CRC network — operations dashboard</title>
<style>${DASHBOARD_STYLES}</style>
</head>
<body>
<header>
  <h1>CRC network — operations dashboard</h1>
  <form id="login" aria-label="Sign in">
    <label class="visually-hidden" for="role">View</label>
    <select id="role"><option value="ops">Operations (live, exact counts)</option>${planOptions}</select>
    <label class="visually-hidden" for="token">Token</label>
    <input id="token" type="password" placeholder="Token" autocomplete="off">
    <button>Connect</button>
  </form>
  <div id="status" data-testid="status" role="status" aria-live="polite">Not connected</div>
</header>
<main>
  <section id="ops-view" aria-labelledby="range-title">
    <form id="range" class="toolbar card" aria-label="Service dates" novalidate>
      <label>First day <input id="from" type="date" data-testid="date-from"></label>
      <label>Last day <input id="to" type="date" data-testid="date-to"></label>
      <button>Show</button>
      <button type="button" class="secondary" id="previous-day">← Previous day</button>
      <button type="button" class="secondary" id="next-day">Next day →</button>
      <button type="button" class="secondary" id="today">Today</button>
      <span class="note">Service dates are calendar days in Los Angeles time (${SERVICE_TIME_ZONE}). Up to ${DASHBOARD_MAX_RANGE_DAYS} days after the first day.</span>
    </form>
    <div id="range-error" class="error" role="alert" data-testid="range-error" hidden></div>
    <h2 id="range-title" data-testid="range-title">Connect with an operations token</h2>
    <div class="legend" data-testid="legend">
      <p><strong>Exact counts.</strong> Operations see every count, small ones included, and never a visitor’s identity. These figures stay within operations: nothing on this view is suppressed.</p>
      ${suppressionLegend}
    </div>
    <div class="row">
      <div class="card"><h3>Visits</h3><div class="big" id="network-visits" data-testid="network-visits">–</div><div class="note">Check-ins at every center.</div></div>
      <div class="card"><h3>Unique visitors</h3><div class="big" id="network-unique" data-testid="network-unique">–</div><div class="note">A member counts once across centers and days; a visitor without a member id once per visit.</div></div>
      <div class="card"><h3>Open visits now</h3><div class="big" id="network-open" data-testid="network-open">–</div><div class="note" id="network-open-note"></div></div>
      <div class="card"><h3>Visits per plan</h3><div id="network-plans" data-testid="network-plans">–</div></div>
      <div class="card"><h3>Wi-Fi for telehealth</h3><div id="network-wifi" data-testid="network-wifi">–</div></div>
      <div class="card"><h3>Membership help</h3><div id="network-help" data-testid="network-help">–</div></div>
      <div class="card"><h3>Shared cost of community visits</h3><div id="network-shared-cost" data-testid="network-shared-cost">–</div><div class="note">Community visits are split between the plans by the configured shares.</div></div>
    </div>
    <div class="toolbar" id="charts"><label>Charts for <select id="scope" data-testid="chart-scope"></select></label></div>
    <div class="charts">
      <figure class="card">
        <figcaption>Visits per hour of check-in <span class="note" id="hour-caption-note"></span></figcaption>
        <div id="chart-hour" data-testid="chart-hour"></div>
        <details><summary>Show as a table</summary><div class="table-wrap" id="table-hour" data-testid="table-hour"></div></details>
      </figure>
      <figure class="card">
        <figcaption>Visits per service <span class="note" id="service-caption-note"></span></figcaption>
        <div id="chart-service" data-testid="chart-service"></div>
        <details><summary>Show as a table</summary><div class="table-wrap" id="table-service" data-testid="table-service"></div></details>
      </figure>
    </div>
    <div class="card">
      <h2>Centers</h2>
      <div id="centers" data-testid="centers"></div>
      <details><summary>Every center as a table</summary><div class="table-wrap" id="table-centers" data-testid="table-centers"></div></details>
    </div>
  </section>
  <section id="plan-view" aria-labelledby="plan-title" hidden>
    <form id="month-form" class="toolbar card" aria-label="Month">
      <label>Month <input id="month" type="month" data-testid="month"></label>
      <button>Show</button>
      <span class="note">What the plan receives: its monthly summary, under suppression. Reading it is recorded in the plan’s disclosure ledger.</span>
    </form>
    <div id="plan-error" class="error" role="alert" data-testid="plan-error" hidden></div>
    <h2 id="plan-title" data-testid="plan-title"></h2>
    <div class="legend" data-testid="plan-legend">${suppressionLegend}</div>
    <div class="row">
      <div class="card"><h3>The plan’s visits</h3><div class="big" id="plan-total" data-testid="plan-total">–</div></div>
      <div class="card"><h3>Community visits, all centers</h3><div class="big" id="plan-community" data-testid="plan-community">–</div></div>
      <div class="card"><h3>The plan’s share of community visits</h3><div class="big" id="plan-share" data-testid="plan-share">–</div></div>
    </div>
    <div class="charts">
      <figure class="card">
        <figcaption>Community visits per center <span class="note">with the plan’s share of each for the cost split</span></figcaption>
        <div id="chart-plan-community" data-testid="chart-plan-community"></div>
        <details><summary>Show as a table</summary><div class="table-wrap" id="table-plan-community" data-testid="table-plan-community"></div></details>
      </figure>
      <figure class="card">
        <figcaption>The plan’s visits per service</figcaption>
        <div class="toolbar">
          <label>Center <select id="plan-center" data-testid="plan-center"></select></label>
          <label>Product line <select id="plan-product-line" data-testid="plan-product-line"></select></label>
        </div>
        <div id="chart-plan-services" data-testid="chart-plan-services"></div>
        <details><summary>Show as a table</summary><div class="table-wrap" id="table-plan-services" data-testid="table-plan-services"></div></details>
      </figure>
    </div>
  </section>
</main>
<script type="application/json" id="dashboard-config">${scriptJson(dashboardPageConfig(centers))}</script>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>`;
}

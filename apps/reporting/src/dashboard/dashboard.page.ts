/**
 * The operations dashboard: one page, no build step. It asks for an operations token (kept in
 * session storage only), reads the live stream with fetch (so the token travels in the
 * Authorization header, never in a URL), and redraws tiles and charts on every update.
 */
export const DASHBOARD_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CRC network — operations</title>
<style>
  :root { --ink: #1d2733; --muted: #667385; --line: #d9dee5; --la: #0b6fb8; --bsp: #2a9d8f; --community: #9a6fb0; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: var(--ink); background: #f5f7fa; }
  header { display: flex; gap: 1rem; align-items: center; padding: .75rem 1.25rem; background: #fff; border-bottom: 1px solid var(--line); }
  header h1 { font-size: 1.1rem; margin: 0; flex: 1; }
  #status { color: var(--muted); }
  main { padding: 1rem 1.25rem; display: grid; gap: 1rem; }
  .row { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); }
  .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; }
  .card h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 .4rem; }
  .big { font-size: 1.8rem; font-weight: 600; }
  .plans span { display: inline-block; margin-right: .8rem; }
  .dot { display: inline-block; width: .6rem; height: .6rem; border-radius: 50%; margin-right: .25rem; }
  #centers { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); }
  .tile h3 { margin: 0 0 .25rem; font-size: .95rem; }
  .tile .meta { color: var(--muted); font-size: .8rem; }
  svg text { font-size: 10px; fill: var(--muted); }
  form { display: flex; gap: .5rem; }
  input { padding: .3rem .5rem; border: 1px solid var(--line); border-radius: 4px; min-width: 18rem; }
  button { padding: .3rem .8rem; border: 0; border-radius: 4px; background: var(--la); color: #fff; cursor: pointer; }
</style>
</head>
<body>
<header>
  <h1>CRC network — operations, live</h1>
  <form id="login"><input id="token" type="password" placeholder="Operations token" autocomplete="off"><button>Connect</button></form>
  <span id="status" data-testid="status">Not connected</span>
</header>
<main>
  <div class="row">
    <div class="card"><h2>Visits today</h2><div class="big" id="network-visits" data-testid="network-visits">–</div></div>
    <div class="card"><h2>Unique visitors</h2><div class="big" id="network-unique" data-testid="network-unique">–</div></div>
    <div class="card"><h2>Open visits now</h2><div class="big" id="network-open" data-testid="network-open">–</div></div>
    <div class="card"><h2>Visits per plan</h2><div class="plans" id="network-plans" data-testid="network-plans">–</div></div>
    <div class="card"><h2>Wi-Fi</h2><div id="network-wifi" data-testid="network-wifi">–</div></div>
    <div class="card"><h2>Membership help</h2><div id="network-help" data-testid="network-help">–</div></div>
  </div>
  <div class="row">
    <div class="card"><h2>Visits per hour</h2><svg id="per-hour" width="100%" height="140" viewBox="0 0 480 140" data-testid="chart-hour"></svg></div>
    <div class="card"><h2>Visits per service</h2><svg id="per-service" width="100%" height="140" viewBox="0 0 480 140" data-testid="chart-service"></svg></div>
  </div>
  <div class="card"><h2>Centers</h2><div id="centers" data-testid="centers"></div></div>
</main>
<script>
(function () {
  const $ = (id) => document.getElementById(id);
  // Exact counts: this page is for operations only (counts, never identities).
  const count = (n) => String(n);
  const colors = { LA_CARE: 'var(--la)', BLUE_SHIELD_PROMISE: 'var(--bsp)', COMMUNITY: 'var(--community)' };
  const names = { LA_CARE: 'L.A. Care', BLUE_SHIELD_PROMISE: 'Blue Shield Promise', COMMUNITY: 'Community' };
  const plans = (t) => Object.keys(names).map((p) => '<span><i class="dot" style="background:' + colors[p] + '"></i>' + names[p] + ': ' + count(t.visitsPerPlan[p]) + '</span>').join('');
  function bars(svg, entries) {
    const max = Math.max(1, ...entries.map((e) => e.value || 0));
    const width = 480 / entries.length;
    svg.innerHTML = entries.map((e, i) => {
      const h = Math.round((e.value / max) * 110);
      return '<rect x="' + (i * width + 2) + '" y="' + (118 - h) + '" width="' + (width - 4) + '" height="' + h + '" fill="var(--la)"><title>' + e.label + ': ' + e.value + '</title></rect>' +
        '<text x="' + (i * width + width / 2) + '" y="132" text-anchor="middle">' + e.short + '</text>';
    }).join('');
  }
  function render(s) {
    const n = s.network;
    $('network-visits').innerHTML = count(n.visits);
    $('network-unique').innerHTML = count(n.uniqueVisitors);
    $('network-open').innerHTML = count(n.openVisitsNow);
    $('network-plans').innerHTML = plans(n);
    $('network-wifi').innerHTML = 'In progress: ' + count(n.wifi.sessionsInProgress) + '<br>Minutes: ' + n.wifi.minutes;
    $('network-help').innerHTML = 'Backlog: ' + count(n.membershipHelp.backlog) + '<br>Median resolution: ' + (n.membershipHelp.medianResolutionMinutes === null ? '–' : n.membershipHelp.medianResolutionMinutes + ' min');
    bars($('per-hour'), n.visitsPerHour.map((h) => ({ value: h.count, label: h.hour + ':00', short: h.hour % 3 === 0 ? String(h.hour) : '' })));
    bars($('per-service'), Object.entries(n.visitsPerService).map(([k, v]) => ({ value: v, label: k, short: k.split('_').map((w) => w[0]).join('') })));
    $('centers').innerHTML = s.centers.map((c) =>
      '<div class="card tile" data-center="' + c.centerId + '"><h3>' + c.name + '</h3><div class="big" data-testid="visits-' + c.centerId + '">' + count(c.visits) + '</div>' +
      '<div class="plans meta">' + plans(c) + '</div><div class="meta">Open now: ' + count(c.openVisitsNow) + '</div></div>').join('');
    $('status').textContent = 'Live · updated ' + new Date(s.generatedAt).toLocaleTimeString();
  }
  async function connect(token) {
    $('status').textContent = 'Connecting…';
    try {
      const response = await fetch('/v1/operations/dashboard/stream', { headers: { authorization: 'Bearer ' + token } });
      if (!response.ok) { $('status').textContent = response.status === 401 || response.status === 403 ? 'Token refused' : 'Error ' + response.status; return; }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\\n\\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message.split('\\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\\n');
          if (data) render(JSON.parse(data));
        }
      }
      $('status').textContent = 'Disconnected; reconnecting…';
    } catch (e) {
      console.error('dashboard stream failed', e && e.message);
      $('status').textContent = 'Connection lost; reconnecting…';
    }
    setTimeout(() => connect(token), 2000);
  }
  $('login').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('token').value.trim();
    if (!token) return;
    sessionStorage.setItem('crc-ops-token', token);
    connect(token);
  });
  const saved = sessionStorage.getItem('crc-ops-token');
  if (saved) connect(saved);
})();
</script>
</body>
</html>`;

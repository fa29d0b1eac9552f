/**
 * The dashboard's script, sent inline with the page (no build step, nothing fetched from another
 * origin: the page works on a center's network without the internet). Charts are inline SVG drawn
 * here; every chart has a table beside it with the same figures, for screen readers and for
 * copying. Names, the time zone and the limits come from the page's configuration block, which
 * the service fills from the contracts, so the page never keeps a list of its own.
 *
 * Plain ES2020 in a raw string: no template literals inside (the string is one itself).
 */
export const DASHBOARD_SCRIPT = String.raw`
(function () {
  'use strict';
  var CONFIG = JSON.parse(document.getElementById('dashboard-config').textContent);
  var $ = function (id) { return document.getElementById(id); };
  var ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  var esc = function (value) { return String(value).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; }); };
  var numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  var fmt = function (n) { return numberFormat.format(n); };
  var purposeName = {}; CONFIG.purposes.forEach(function (p) { purposeName[p.code] = p.name; });
  var planName = {}; CONFIG.plans.forEach(function (p) { planName[p.code] = p.name; });
  var centerName = {}; CONFIG.centers.forEach(function (c) { centerName[c.centerId] = c.name; });
  var PLAN_COLORS = { LA_CARE: 'var(--la)', BLUE_SHIELD_PROMISE: 'var(--bsp)', COMMUNITY: 'var(--community)' };
  var SUPPRESSED_MAX = CONFIG.smallCellThreshold - 1;
  var SUPPRESSED_TEXT = 'suppressed';
  var SUPPRESSED_EXPLAINED = 'suppressed (fewer than ' + CONFIG.smallCellThreshold + ', zero included)';

  // ---- dates, always in the centers' time zone --------------------------------------------
  var dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: CONFIG.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  var todayInZone = function () { return dayFormat.format(new Date()); };
  var longDate = function (iso) {
    return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(iso + 'T12:00:00Z'));
  };
  var timeInZone = function (instant) {
    return new Intl.DateTimeFormat('en-US', { timeZone: CONFIG.timeZone, hour: 'numeric', minute: '2-digit', second: '2-digit' }).format(new Date(instant));
  };
  var addDays = function (iso, days) { return new Date(Date.parse(iso + 'T12:00:00Z') + days * 86400000).toISOString().slice(0, 10); };
  var daysBetween = function (from, to) { return Math.round((Date.parse(to + 'T12:00:00Z') - Date.parse(from + 'T12:00:00Z')) / 86400000); };
  var monthName = function (month) {
    return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'long' }).format(new Date(month + '-15T12:00:00Z'));
  };

  // ---- charts: inline SVG with axes, gridlines and a value on every bar --------------------
  /** Integer ticks of 1, 2 or 5 × 10^n, reaching at least max. */
  function niceScale(max, wanted) {
    if (!(max > 0)) return { top: 4, step: 1 };
    var raw = max / wanted;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * power; }).filter(function (s) { return s >= raw; })[0];
    step = Math.max(1, step);
    return { top: Math.ceil(max / step) * step, step: step };
  }
  var chartCount = 0;
  function svgOpen(width, height, title, desc) {
    var id = 'chart-' + (++chartCount);
    return {
      id: id,
      open: '<svg class="chart" viewBox="0 0 ' + width + ' ' + height + '" role="img" aria-labelledby="' + id + '-title ' + id + '-desc">' +
        '<title id="' + id + '-title">' + esc(title) + '</title><desc id="' + id + '-desc">' + esc(desc) + '</desc>' +
        '<defs><pattern id="' + id + '-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">' +
        '<rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#4f5a68" stroke-width="3"/></pattern></defs>',
    };
  }

  /** Vertical bars over a category axis (the hours of the day). entries: [{ tick, label, value }]. */
  function columnChart(o) {
    var W = 720, H = 290, left = 56, right = 12, top = 24, bottom = 62;
    var plotW = W - left - right, plotH = H - top - bottom;
    var max = Math.max.apply(null, o.entries.map(function (e) { return e.value; }).concat([0]));
    var scale = niceScale(max, 5);
    var y = function (v) { return top + plotH - (v / scale.top) * plotH; };
    var band = plotW / o.entries.length;
    var svg = svgOpen(W, H, o.title, o.desc);
    var out = [svg.open, '<g class="grid">'];
    for (var v = 0; v <= scale.top; v += scale.step) out.push('<line x1="' + left + '" x2="' + (W - right) + '" y1="' + y(v) + '" y2="' + y(v) + '"/>');
    out.push('</g><g class="axis y-axis">');
    for (v = 0; v <= scale.top; v += scale.step) out.push('<g class="tick"><line x1="' + (left - 5) + '" x2="' + left + '" y1="' + y(v) + '" y2="' + y(v) + '"/><text x="' + (left - 8) + '" y="' + (y(v) + 4) + '" text-anchor="end">' + fmt(v) + '</text></g>');
    out.push('<line x1="' + left + '" x2="' + left + '" y1="' + top + '" y2="' + y(0) + '"/></g>');
    o.entries.forEach(function (e, i) {
      var x = left + i * band;
      var h = y(0) - y(e.value);
      out.push('<rect class="bar" data-label="' + esc(e.label) + '" data-value="' + e.value + '" x="' + (x + band * 0.15) + '" y="' + y(e.value) + '" width="' + band * 0.7 + '" height="' + h + '" fill="var(--bar)"><title>' + esc(e.label + ': ' + fmt(e.value)) + '</title></rect>');
      if (e.value > 0) out.push('<text class="value" x="' + (x + band / 2) + '" y="' + (y(e.value) - 5) + '" text-anchor="middle">' + fmt(e.value) + '</text>');
    });
    out.push('<g class="axis x-axis"><line x1="' + left + '" x2="' + (W - right) + '" y1="' + y(0) + '" y2="' + y(0) + '"/>');
    o.entries.forEach(function (e, i) {
      out.push('<g class="tick"><text x="' + (left + i * band + band / 2) + '" y="' + (y(0) + 17) + '" text-anchor="middle">' + esc(e.tick) + '</text></g>');
    });
    out.push('</g>');
    out.push('<text class="axis-title" x="' + (left + plotW / 2) + '" y="' + (H - 12) + '" text-anchor="middle">' + esc(o.xTitle) + '</text>');
    out.push('<text class="axis-title" transform="translate(16 ' + (top + plotH / 2) + ') rotate(-90)" text-anchor="middle">' + esc(o.yTitle) + '</text>');
    if (max === 0) out.push('<text class="axis-title" x="' + (left + plotW / 2) + '" y="' + (top + plotH / 2) + '" text-anchor="middle">' + esc(o.empty) + '</text>');
    out.push('</svg>');
    return out.join('');
  }

  /**
   * Horizontal bars, one row per category. entries: [{ label, value, suppressed, extra, color }].
   * A suppressed count is drawn as a hatched band over 0 to 10, the values it may have, and says
   * so: never as a bar of zero.
   */
  function barChart(o) {
    var rowH = 30, W = 720, left = 200, right = 150, top = 10, bottom = 52;
    var plotW = W - left - right, H = top + o.entries.length * rowH + bottom;
    var shown = o.entries.filter(function (e) { return !e.suppressed; }).map(function (e) { return e.value; });
    var anySuppressed = o.entries.some(function (e) { return e.suppressed; });
    var scale = niceScale(Math.max.apply(null, shown.concat([anySuppressed ? SUPPRESSED_MAX : 0])), 5);
    var x = function (v) { return left + (v / scale.top) * plotW; };
    var base = top + o.entries.length * rowH;
    var svg = svgOpen(W, H, o.title, o.desc);
    var out = [svg.open, '<g class="grid">'];
    for (var v = 0; v <= scale.top; v += scale.step) out.push('<line x1="' + x(v) + '" x2="' + x(v) + '" y1="' + top + '" y2="' + base + '"/>');
    out.push('</g>');
    o.entries.forEach(function (e, i) {
      var cy = top + i * rowH + rowH / 2;
      out.push('<text class="category" x="' + (left - 8) + '" y="' + (cy + 4) + '" text-anchor="end">' + esc(e.label) + '</text>');
      if (e.suppressed) {
        out.push('<rect class="bar suppressed" data-label="' + esc(e.label) + '" data-suppressed="true" x="' + x(0) + '" y="' + (cy - 9) + '" width="' + (x(SUPPRESSED_MAX) - x(0)) + '" height="18" fill="url(#' + svg.id + '-hatch)" stroke="#1d2733" stroke-dasharray="3 2"><title>' + esc(e.label + ': ' + SUPPRESSED_EXPLAINED) + '</title></rect>');
        out.push('<text class="value suppressed-label" x="' + (x(SUPPRESSED_MAX) + 6) + '" y="' + (cy + 4) + '">' + SUPPRESSED_TEXT + '</text>');
      } else {
        out.push('<rect class="bar" data-label="' + esc(e.label) + '" data-value="' + e.value + '" x="' + x(0) + '" y="' + (cy - 9) + '" width="' + (x(e.value) - x(0)) + '" height="18" fill="' + (e.color || 'var(--bar)') + '"><title>' + esc(e.label + ': ' + fmt(e.value) + (e.extra ? ' ' + e.extra : '')) + '</title></rect>');
        out.push('<text class="value" x="' + (x(e.value) + 6) + '" y="' + (cy + 4) + '">' + fmt(e.value) + (e.extra ? ' ' + esc(e.extra) : '') + '</text>');
      }
    });
    out.push('<g class="axis x-axis"><line x1="' + left + '" x2="' + (left + plotW) + '" y1="' + base + '" y2="' + base + '"/>');
    for (v = 0; v <= scale.top; v += scale.step) out.push('<g class="tick"><line x1="' + x(v) + '" x2="' + x(v) + '" y1="' + base + '" y2="' + (base + 5) + '"/><text x="' + x(v) + '" y="' + (base + 18) + '" text-anchor="middle">' + fmt(v) + '</text></g>');
    out.push('</g><g class="axis y-axis"><line x1="' + left + '" x2="' + left + '" y1="' + top + '" y2="' + base + '"/></g>');
    out.push('<text class="axis-title" x="' + (left + plotW / 2) + '" y="' + (H - 10) + '" text-anchor="middle">' + esc(o.xTitle) + '</text>');
    out.push('</svg>');
    return out.join('');
  }

  /** The same figures as a table. cells are strings, or { suppressed: true }. */
  function table(caption, headers, rows) {
    var head = '<tr>' + headers.map(function (h) { return '<th scope="col">' + esc(h) + '</th>'; }).join('') + '</tr>';
    var body = rows.map(function (r) {
      return '<tr>' + r.map(function (cell, i) {
        var tag = i === 0 ? 'th scope="row"' : 'td';
        if (cell && cell.suppressed) return '<td class="suppressed" data-suppressed="true">' + SUPPRESSED_TEXT + '</td>';
        return '<' + tag + '>' + esc(cell) + '</' + tag.split(' ')[0] + '>';
      }).join('') + '</tr>';
    }).join('');
    return '<table><caption>' + esc(caption) + '</caption><thead>' + head + '</thead><tbody>' + body + '</tbody></table>';
  }

  // ---- the operations view (exact counts, live) ------------------------------------------
  var state = { token: null, role: 'ops', summary: null, range: null, scope: 'network', stream: null, plan: null };

  var medianText = function (m) { return m === null ? 'no resolved cases yet' : fmt(m) + ' min'; };
  var percentOf = function (part, whole) { return whole > 0 ? ' (' + fmt(Math.round((part / whole) * 1000) / 10) + '%)' : ''; };
  var includesToday = function (s) { var today = todayInZone(); return s.from <= today && today <= s.to; };
  var rangeText = function (from, to) {
    var days = daysBetween(from, to) + 1;
    return from === to ? longDate(from) : longDate(from) + ' to ' + longDate(to) + ' (' + days + ' days)';
  };

  /** A definition list; an entry of one string is a group heading. */
  function figures(list) {
    return '<dl class="figures">' + list.map(function (f) {
      if (f.length === 1) return '<dt class="group">' + esc(f[0]) + '</dt>';
      return '<dt>' + esc(f[0]) + '</dt><dd data-figure="' + esc(f[2] || '') + '">' + esc(f[1]) + '</dd>';
    }).join('') + '</dl>';
  }
  function planLines(t) {
    return CONFIG.plans.map(function (p) {
      return '<div><i class="dot" style="background:' + PLAN_COLORS[p.code] + '"></i>' + esc(p.name) + ': <strong>' + fmt(t.visitsPerPlan[p.code]) + '</strong>' + percentOf(t.visitsPerPlan[p.code], t.visits) + '</div>';
    }).join('');
  }
  function sharedCostLines(t) {
    var c = t.sharedCost;
    if (c.communityVisits === 0) return '<div>Community visits: <strong>0</strong></div><div class="note">No community visits to split.</div>';
    return '<div>Community visits: <strong>' + fmt(c.communityVisits) + '</strong></div>' +
      CONFIG.partnerPlans.map(function (p) { return '<div>' + esc(planName[p]) + ' pays for: <strong>' + fmt(c[p]) + '</strong>' + percentOf(c[p], c.communityVisits) + '</div>'; }).join('');
  }
  function openNow(t, s) {
    return includesToday(s) ? fmt(t.openVisitsNow) : 'not applicable';
  }

  function renderNetwork(s) {
    var n = s.network;
    $('network-visits').textContent = fmt(n.visits);
    $('network-unique').textContent = fmt(n.uniqueVisitors);
    $('network-open').textContent = openNow(n, s);
    $('network-open').classList.toggle('words', !includesToday(s));
    $('network-open-note').textContent = includesToday(s) ? 'Checked in today and not checked out yet.' : 'Only today\u2019s visits can be open; this range is in the past.';
    $('network-plans').innerHTML = planLines(n);
    $('network-wifi').innerHTML = figures([['Sessions in progress', fmt(n.wifi.sessionsInProgress)], ['Minutes used', fmt(n.wifi.minutes)]]);
    $('network-help').innerHTML = figures([['Backlog (open cases)', fmt(n.membershipHelp.backlog)], ['Median resolution', medianText(n.membershipHelp.medianResolutionMinutes), 'median-resolution']]);
    $('network-shared-cost').innerHTML = sharedCostLines(n);
  }

  function scopeTile(s) {
    if (state.scope === 'network') return { name: 'all centers', tile: s.network };
    var c = s.centers.filter(function (x) { return x.centerId === state.scope; })[0];
    return c ? { name: c.name, tile: c } : { name: 'all centers', tile: s.network };
  }

  function renderCharts(s) {
    var scope = scopeTile(s);
    var days = daysBetween(s.from, s.to) + 1;
    var over = days === 1 ? longDate(s.from) : 'summed over ' + days + ' days';
    var hours = scope.tile.visitsPerHour;
    $('hour-caption-note').textContent = 'Hour of check-in in ' + CONFIG.timeZoneName + ' (' + CONFIG.timeZone + '), ' + scope.name + ', ' + over + '.';
    $('chart-hour').innerHTML = columnChart({
      title: 'Visits per hour of check-in, ' + scope.name,
      desc: 'Check-ins per hour, ' + CONFIG.timeZoneName + '. ' + hours.filter(function (h) { return h.count > 0; }).map(function (h) { return h.hour + ':00 ' + h.count; }).join(', '),
      xTitle: 'Hour of check-in (' + CONFIG.timeZoneName + ', 0 = midnight)',
      yTitle: 'Visits',
      empty: 'No visits in this range',
      entries: hours.map(function (h) { return { tick: String(h.hour), label: h.hour + ':00\u2013' + h.hour + ':59 ' + CONFIG.timeZoneAbbreviation, value: h.count }; }),
    });
    $('table-hour').innerHTML = table('Visits per hour of check-in, ' + CONFIG.timeZoneName + ', ' + scope.name, ['Hour (' + CONFIG.timeZoneName + ')', 'Visits'],
      hours.map(function (h) { return [h.hour + ':00\u2013' + h.hour + ':59', fmt(h.count)]; }));
    var services = CONFIG.purposes.map(function (p) { return { label: p.name, value: scope.tile.visitsPerService[p.code] || 0 }; });
    $('service-caption-note').textContent = 'A visit with several purposes counts once for each; ' + scope.name + ', ' + over + '.';
    $('chart-service').innerHTML = barChart({
      title: 'Visits per service, ' + scope.name,
      desc: services.map(function (e) { return e.label + ' ' + e.value; }).join(', '),
      xTitle: 'Visits',
      entries: services,
    });
    $('table-service').innerHTML = table('Visits per service, ' + scope.name, ['Service', 'Visits'], services.map(function (e) { return [e.label, fmt(e.value)]; }));
  }

  function centerFigures(c, s) {
    return [
      ['Unique visitors', fmt(c.uniqueVisitors), 'unique'],
      ['Open now', openNow(c, s), 'open'],
      ['Visits per plan'],
      ['L.A. Care', fmt(c.visitsPerPlan.LA_CARE), 'plan-LA_CARE'],
      ['Blue Shield Promise', fmt(c.visitsPerPlan.BLUE_SHIELD_PROMISE), 'plan-BLUE_SHIELD_PROMISE'],
      ['Community', fmt(c.visitsPerPlan.COMMUNITY), 'plan-COMMUNITY'],
      ['Community visits, cost split'],
      ['L.A. Care pays for', fmt(c.sharedCost.LA_CARE), 'share-LA_CARE'],
      ['Blue Shield Promise pays for', fmt(c.sharedCost.BLUE_SHIELD_PROMISE), 'share-BLUE_SHIELD_PROMISE'],
      ['Wi-Fi for telehealth'],
      ['Sessions in progress', fmt(c.wifi.sessionsInProgress)],
      ['Minutes used', fmt(c.wifi.minutes)],
      ['Membership help'],
      ['Backlog (open cases)', fmt(c.membershipHelp.backlog)],
      ['Median resolution', medianText(c.membershipHelp.medianResolutionMinutes), 'median-resolution'],
    ];
  }

  function renderCenters(s) {
    $('centers').innerHTML = s.centers.map(function (c) {
      return '<div class="card tile" data-center="' + esc(c.centerId) + '" data-testid="center-' + esc(c.centerId) + '"><h3>' + esc(c.name) + '</h3>' +
        '<div class="big" data-testid="visits-' + esc(c.centerId) + '">' + fmt(c.visits) + '</div><div class="note">visits</div>' +
        figures(centerFigures(c, s)) +
        '<button type="button" class="secondary" data-scope="' + esc(c.centerId) + '">Charts for ' + esc(c.name) + '</button></div>';
    }).join('');
    var columns = function (c) {
      var group = '';
      return centerFigures(c, s).map(function (f) {
        if (f.length === 1) { group = f[0]; return null; }
        return [group ? group + ': ' + f[0] : f[0], f[1]];
      }).filter(Boolean);
    };
    var headers = ['Center', 'Visits'].concat(columns(s.network).map(function (f) { return f[0]; }));
    $('table-centers').innerHTML = table('Every center, ' + rangeText(s.from, s.to), headers,
      s.centers.map(function (c) { return [c.name, fmt(c.visits)].concat(columns(c).map(function (f) { return f[1]; })); }));
  }

  function renderOps(s) {
    state.summary = s;
    // Following today: past midnight the service's today moves on, and the pickers with it.
    if (!state.range && document.activeElement !== $('from') && document.activeElement !== $('to') && $('from').value !== s.from) setRangeInputs(s.from, s.to);
    $('range-title').textContent = rangeText(s.from, s.to) + (s.from === s.to && s.from === todayInZone() ? ' (today)' : '');
    renderNetwork(s);
    renderCharts(s);
    renderCenters(s);
    setStatus('Live \u00b7 updated ' + timeInZone(s.generatedAt) + ' ' + CONFIG.timeZoneAbbreviation);
  }

  function setStatus(text) { $('status').textContent = text; }
  var auth = function () { return { authorization: 'Bearer ' + state.token }; };
  async function errorOf(response) {
    try {
      var body = await response.json();
      if (body && body.error) return body.error;
    } catch (e) { /* not JSON */ }
    return { code: 'HTTP_' + response.status, message: 'The service answered ' + response.status + '.' };
  }
  function showError(id, error) {
    var box = $(id);
    box.innerHTML = '<strong>' + esc(error.message) + '</strong> <span class="note">(' + esc(error.code) + ')</span>';
    box.dataset.code = error.code;
    box.hidden = false;
  }
  function clearError(id) { $(id).hidden = true; $(id).textContent = ''; delete $(id).dataset.code; }

  /** Follows the live stream of one range; a new range aborts the old stream (each holds one of the credential's places). */
  function openStream(range) {
    if (state.stream) state.stream.abort();
    var controller = new AbortController();
    state.stream = controller;
    follow(range, controller);
  }
  async function follow(range, controller) {
    var retryMs = 2000;
    setStatus('Connecting\u2026');
    try {
      // No dates: the service's today, which moves on at midnight in Los Angeles.
      var query = range ? '?from=' + range.from + '&to=' + range.to : '';
      var response = await fetch('/v1/operations/dashboard/stream' + query, { headers: auth(), signal: controller.signal });
      if (!response.ok) {
        var error = await errorOf(response);
        if (response.status === 401 || response.status === 403) { setStatus('Token refused: ' + error.message + ' (' + error.code + ')'); return; }
        if (response.status === 400) { showError('range-error', error); return; }
        retryMs = response.status === 429 || response.status === 503 ? (Number(response.headers.get('retry-after')) || 30) * 1000 : 5000;
        setStatus(error.message + ' (' + error.code + ') Trying again in ' + Math.round(retryMs / 1000) + ' s.');
      } else {
        var reader = response.body.getReader();
        var decoder = new TextDecoder();
        var buffer = '';
        for (;;) {
          var chunk = await reader.read();
          if (chunk.done) break;
          buffer += decoder.decode(chunk.value, { stream: true });
          var end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            var message = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            var data = message.split('\n').filter(function (l) { return l.indexOf('data: ') === 0; }).map(function (l) { return l.slice(6); }).join('\n');
            if (data && state.stream === controller) renderOps(JSON.parse(data));
          }
        }
        setStatus('Disconnected; reconnecting\u2026');
      }
    } catch (e) {
      if (controller.signal.aborted) return;
      console.error('dashboard stream failed', e && e.message);
      setStatus('Connection lost; reconnecting\u2026');
    }
    setTimeout(function () { if (!controller.signal.aborted) follow(range, controller); }, retryMs);
  }

  /** Shows another range: the service judges it (order, the range cap) and the current view stays if it refuses. */
  async function applyRange(from, to) {
    clearError('range-error');
    if (!from) { showError('range-error', { code: 'FROM_MISSING', message: 'Choose the first day to show.' }); return; }
    to = to || from;
    var today = todayInZone();
    var range = from === today && to === today ? null : { from: from, to: to };
    var response = await fetch('/v1/operations/dashboard?from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to), { headers: auth() });
    if (!response.ok) { showError('range-error', await errorOf(response)); return; }
    state.range = range;
    setRangeInputs(from, to);
    renderOps(await response.json());
    openStream(range);
  }
  function setRangeInputs(from, to) {
    $('from').value = from;
    $('to').value = to;
    $('to').min = from;
    $('to').max = addDays(from, CONFIG.maxRangeDays);
  }
  function shiftRange(days) {
    var s = state.summary;
    if (s) applyRange(addDays(s.from, days), addDays(s.to, days));
  }

  // ---- the plan view (what a plan receives: monthly, under suppression) --------------------
  var productLineName = function (code) { return code === 'UNVERIFIED' ? 'Unverified (self-reported)' : code; };
  var publishedText = function (count) { return count === null ? SUPPRESSED_TEXT : fmt(count); };
  var cell = function (count) { return count === null ? { suppressed: true } : fmt(count); };

  async function loadPlan(month) {
    clearError('plan-error');
    setStatus('Loading ' + planName[state.role] + '\u2019s summary\u2026');
    var response = await fetch('/v1/partners/' + state.role + '/utilization/summary?month=' + encodeURIComponent(month), { headers: auth() });
    if (!response.ok) {
      var error = await errorOf(response);
      showError('plan-error', error);
      setStatus(response.status === 401 || response.status === 403 ? 'Token refused: ' + error.message : 'Could not load the summary.');
      return;
    }
    state.plan = await response.json();
    renderPlan();
    setStatus(planName[state.role] + ' \u00b7 summary of ' + monthName(month) + ' read at ' + timeInZone(new Date()) + ' ' + CONFIG.timeZoneAbbreviation);
  }

  function renderPlan() {
    var p = state.plan;
    var name = planName[p.plan];
    $('plan-title').textContent = name + ', ' + monthName(p.month) + ' (service dates in ' + CONFIG.timeZoneName + ')';
    $('plan-total').innerHTML = p.totalVisits === null ? '<span data-suppressed="true">' + SUPPRESSED_TEXT + '</span>' : fmt(p.totalVisits);
    $('plan-community').innerHTML = p.communityTotal.visits === null
      ? '<span data-suppressed="true">' + SUPPRESSED_TEXT + '</span>'
      : fmt(p.communityTotal.visits) + ' <span class="note">of which ' + esc(name) + ' pays for ' + fmt(p.communityTotal.planShare) + '</span>';
    $('plan-share').textContent = fmt(p.communitySharePercent) + '%';

    var community = p.community.map(function (c) {
      return { label: centerName[c.centerId] || c.centerId, value: c.visits, suppressed: c.suppressed, extra: c.planShare === null ? '' : '(pays ' + fmt(c.planShare) + ')', color: 'var(--community)' };
    });
    $('chart-plan-community').innerHTML = barChart({
      title: 'Community visits per center, ' + monthName(p.month),
      desc: community.map(function (e) { return e.label + ' ' + (e.suppressed ? SUPPRESSED_TEXT : e.value); }).join(', '),
      xTitle: 'Community visits (hatched: ' + SUPPRESSED_EXPLAINED + ')',
      entries: community,
    });
    $('table-plan-community').innerHTML = table('Community visits per center and ' + name + '\u2019s share, ' + monthName(p.month), ['Center', 'Community visits', name + ' pays for'],
      p.community.map(function (c) { return [centerName[c.centerId] || c.centerId, cell(c.visits), cell(c.planShare)]; }));

    var centerSelect = $('plan-center'), lineSelect = $('plan-product-line');
    var lines = p.rows.map(function (r) { return r.productLine; }).filter(function (l, i, all) { return all.indexOf(l) === i; });
    if (!centerSelect.options.length) {
      // Start where something is shown, if anything is.
      var firstShown = p.rows.filter(function (r) { return !r.suppressed; })[0] || p.rows[0];
      centerSelect.innerHTML = CONFIG.centers.map(function (c) { return '<option value="' + esc(c.centerId) + '">' + esc(c.name) + '</option>'; }).join('');
      lineSelect.innerHTML = lines.map(function (l) { return '<option value="' + esc(l) + '">' + esc(productLineName(l)) + '</option>'; }).join('');
      if (firstShown) { centerSelect.value = firstShown.centerId; lineSelect.value = firstShown.productLine; }
    }
    renderPlanCenter();
  }

  function renderPlanCenter() {
    var p = state.plan;
    if (!p) return;
    var centerId = $('plan-center').value, line = $('plan-product-line').value;
    var rows = p.rows.filter(function (r) { return r.centerId === centerId; });
    var entries = CONFIG.purposes.map(function (purpose) {
      var r = rows.filter(function (x) { return x.productLine === line && x.service === purpose.code; })[0];
      return { label: purpose.name, value: r ? r.visits : null, suppressed: !r || r.suppressed };
    });
    var where = (centerName[centerId] || centerId) + ', ' + productLineName(line);
    $('chart-plan-services').innerHTML = barChart({
      title: planName[p.plan] + ' visits per service, ' + where,
      desc: entries.map(function (e) { return e.label + ' ' + (e.suppressed ? SUPPRESSED_TEXT : e.value); }).join(', '),
      xTitle: 'Visits (hatched: ' + SUPPRESSED_EXPLAINED + ')',
      entries: entries,
    });
    var lines = rows.map(function (r) { return r.productLine; }).filter(function (l, i, all) { return all.indexOf(l) === i; });
    $('table-plan-services').innerHTML = table(planName[p.plan] + ' visits at ' + (centerName[centerId] || centerId) + ' by product line and service', ['Product line'].concat(CONFIG.purposes.map(function (x) { return x.name; })),
      lines.map(function (l) {
        return [productLineName(l)].concat(CONFIG.purposes.map(function (purpose) {
          var r = rows.filter(function (x) { return x.productLine === l && x.service === purpose.code; })[0];
          return r ? cell(r.visits) : { suppressed: true };
        }));
      }));
  }

  // ---- wiring ------------------------------------------------------------------------------
  function showView(role) {
    state.role = role;
    $('ops-view').hidden = role !== 'ops';
    $('plan-view').hidden = role === 'ops';
  }
  function start() {
    showView(state.role);
    if (state.role === 'ops') {
      var today = todayInZone();
      setRangeInputs(today, today);
      $('from').max = today;
      openStream(null);
    } else {
      if (state.stream) { state.stream.abort(); state.stream = null; }
      $('plan-center').innerHTML = '';
      $('plan-product-line').innerHTML = '';
      $('month').value = todayInZone().slice(0, 7);
      loadPlan($('month').value);
    }
  }

  $('login').addEventListener('submit', function (e) {
    e.preventDefault();
    var token = $('token').value.trim();
    if (!token) return;
    state.token = token;
    state.role = $('role').value;
    sessionStorage.setItem('crc-dashboard-token', token);
    sessionStorage.setItem('crc-dashboard-role', state.role);
    start();
  });
  $('range').addEventListener('submit', function (e) { e.preventDefault(); applyRange($('from').value, $('to').value); });
  $('from').addEventListener('change', function () { $('to').min = $('from').value; $('to').max = $('from').value ? addDays($('from').value, CONFIG.maxRangeDays) : ''; });
  $('today').addEventListener('click', function () { var t = todayInZone(); applyRange(t, t); });
  $('previous-day').addEventListener('click', function () { shiftRange(-1); });
  $('next-day').addEventListener('click', function () { shiftRange(1); });
  $('scope').addEventListener('change', function () { state.scope = $('scope').value; if (state.summary) renderCharts(state.summary); });
  $('centers').addEventListener('click', function (e) {
    var target = e.target.closest('button[data-scope]');
    if (!target) return;
    state.scope = target.dataset.scope;
    $('scope').value = state.scope;
    if (state.summary) renderCharts(state.summary);
    $('charts').scrollIntoView({ behavior: 'smooth' });
  });
  $('month-form').addEventListener('submit', function (e) { e.preventDefault(); loadPlan($('month').value); });
  $('plan-center').addEventListener('change', renderPlanCenter);
  $('plan-product-line').addEventListener('change', renderPlanCenter);
  $('scope').innerHTML = '<option value="network">All centers (network)</option>' + CONFIG.centers.map(function (c) { return '<option value="' + esc(c.centerId) + '">' + esc(c.name) + '</option>'; }).join('');

  var savedToken = sessionStorage.getItem('crc-dashboard-token');
  if (savedToken) {
    state.token = savedToken;
    state.role = sessionStorage.getItem('crc-dashboard-role') || 'ops';
    $('role').value = state.role;
    start();
  }
})();
`;

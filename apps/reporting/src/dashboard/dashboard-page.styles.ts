/**
 * The dashboard's stylesheet. Colours are chosen for contrast on white: text at least 4.5:1
 * (ink 15:1, muted 6.3:1 on the legend's blue, 7:1 on white), bars and marks at least 3:1 (WCAG 2.1, 1.4.3 and 1.4.11).
 * One column below 1100 px so that charts keep a readable scale on a tablet.
 */
export const DASHBOARD_STYLES = `
  :root { --ink: #1d2733; --muted: #4f5a68; --line: #c9d0d9; --bar: #0b6fb8; --la: #0b6fb8; --bsp: #1f7a70; --community: #7d4f96;
          --error-bg: #fdecec; --error-ink: #8a1c1c; --note-bg: #eef4fa; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--ink); background: #f3f5f8; }
  header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .75rem 1.25rem; background: #fff; border-bottom: 1px solid var(--line); }
  header h1 { font-size: 1.15rem; margin: 0; flex: 1 1 16rem; }
  #status { color: var(--muted); flex: 1 1 100%; }
  main { padding: 1rem 1.25rem 2rem; display: grid; gap: 1rem; max-width: 1600px; margin: 0 auto; }
  main > section { display: grid; gap: 1rem; }
  [hidden] { display: none !important; }
  h2 { font-size: 1.05rem; margin: 0; }
  .row { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 210px), 1fr)); }
  .charts { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); }
  .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; min-width: 0; }
  .card h3 { font-size: .85rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 .35rem; }
  .big { font-size: 1.9rem; font-weight: 650; line-height: 1.2; }
  .big.words { font-size: 1.1rem; font-weight: 600; padding: .45rem 0; }
  .note { color: var(--muted); font-size: .85rem; }
  .toolbar { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; }
  .toolbar label { display: grid; gap: .15rem; font-size: .85rem; color: var(--muted); }
  form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 0; }
  input, select { font: inherit; padding: .35rem .5rem; border: 1px solid #8893a2; border-radius: 4px; background: #fff; color: var(--ink); }
  #token { width: min(18rem, 100%); }
  button { font: inherit; padding: .35rem .9rem; border: 0; border-radius: 4px; background: var(--bar); color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: var(--bar); border: 1px solid var(--bar); }
  button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
  .error { background: var(--error-bg); color: var(--error-ink); border: 1px solid #e4b4b4; border-radius: 6px; padding: .5rem .75rem; }
  .legend { background: var(--note-bg); border-radius: 6px; padding: .5rem .75rem; font-size: .9rem; display: grid; gap: .3rem; }
  .legend p { margin: 0; }
  .swatch { display: inline-block; width: 1.6rem; height: .9rem; vertical-align: -2px; margin-right: .35rem; border: 1px solid var(--ink); }
  .swatch.hatched { background: repeating-linear-gradient(45deg, #fff 0 3px, #4f5a68 3px 5px); }
  .dot { display: inline-block; width: .7rem; height: .7rem; border-radius: 50%; margin-right: .3rem; vertical-align: -1px; }
  dl.figures { display: grid; grid-template-columns: minmax(8.5rem, 1fr) auto; gap: .1rem .75rem; margin: .4rem 0 0; font-size: .9rem; }
  dl.figures dt { color: var(--muted); }
  dl.figures dt.group { grid-column: 1 / -1; color: var(--ink); font-weight: 600; margin-top: .3rem; }
  dl.figures dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; max-width: 8rem; }
  #centers { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 270px), 1fr)); }
  .tile h3 { margin: 0 0 .2rem; font-size: 1rem; text-transform: none; letter-spacing: 0; color: var(--ink); }
  figure { margin: 0; }
  figcaption { font-weight: 600; margin-bottom: .35rem; }
  figcaption .note { font-weight: 400; display: block; }
  svg.chart { width: 100%; height: auto; display: block; }
  svg.chart text { font-size: 12px; fill: var(--ink); }
  svg.chart .tick text, svg.chart .axis-title { fill: var(--muted); }
  svg.chart .axis line, svg.chart .axis path { stroke: #6b7684; }
  svg.chart .grid line { stroke: #e3e7ec; }
  svg.chart .value { font-weight: 600; }
  details { margin-top: .4rem; }
  summary { cursor: pointer; color: var(--bar); }
  .table-wrap { overflow-x: auto; max-width: 100%; }
  table { border-collapse: collapse; font-size: .88rem; margin-top: .35rem; }
  caption { text-align: left; color: var(--muted); padding-bottom: .25rem; }
  th, td { border-bottom: 1px solid var(--line); padding: .2rem .55rem; text-align: right; font-variant-numeric: tabular-nums; }
  th:first-child, td:first-child { text-align: left; }
  td.suppressed { font-style: italic; color: var(--muted); }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

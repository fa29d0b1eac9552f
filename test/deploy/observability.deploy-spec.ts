import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourcesUnder(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The metric names the services register (`name: 'crc_…'`), read from the sources. */
const registered = new Set(
  [...sourcesUnder(join(ROOT, 'apps')), ...sourcesUnder(join(ROOT, 'libs'))].flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/name: '((?:crc|http)_[a-z_]+)'/g)].map((m) => m[1]),
  ),
);

interface Rule {
  alert?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** deploy/observability: the alert rules beside the Grafana dashboard, checked without Prometheus. */
describe('Prometheus alert rules', () => {
  const prometheus = parse(readFileSync(join(ROOT, 'deploy/observability/prometheus.yml'), 'utf8')) as { rule_files?: string[] };
  const rules = (
    parse(readFileSync(join(ROOT, 'deploy/observability/alerts.yml'), 'utf8')) as { groups: Array<{ name: string; rules: Rule[] }> }
  ).groups.flatMap((g) => g.rules);

  it('are loaded by the Prometheus of docker-compose', () => {
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    expect(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')).toContain('./deploy/observability/alerts.yml:/etc/prometheus/alerts.yml:ro');
  });

  it('watch consumer lag, the outbox backlog, dead letters and the dashboard streams', () => {
    const watched = rules.map((r) => r.expr ?? '').join('\n');
    for (const metric of ['crc_kafka_consumer_lag', 'crc_outbox_pending_documents', 'crc_kafka_dead_letters_total', 'crc_dashboard_streams_open'])
      expect(watched).toContain(metric);
  });

  it('each have a name, an expression on metrics the services register, a severity and a summary', () => {
    for (const rule of rules) {
      expect([rule.alert, typeof rule.expr, rule.labels?.severity, typeof rule.annotations?.summary]).toEqual([
        expect.stringMatching(/^Crc[A-Za-z]+$/),
        'string',
        expect.stringMatching(/^(warning|critical)$/),
        'string',
      ]);
      const metrics = [...rule.expr!.matchAll(/\b((?:crc|http)_[a-z_]+)\b/g)].map((m) => m[1]);
      expect(metrics.length).toBeGreaterThan(0);
      // A histogram's series carry _bucket, _count and _sum after its registered name.
      const known = (metric: string) => registered.has(metric) || registered.has(metric.replace(/_(bucket|count|sum)$/, ''));
      for (const metric of metrics) expect([rule.alert, metric, known(metric)]).toEqual([rule.alert, metric, true]);
    }
  });
});

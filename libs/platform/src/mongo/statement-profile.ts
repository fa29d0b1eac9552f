import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MongoClient } from 'mongodb';

interface StatementTotals {
  statements: number;
  totalMs: number;
  maxMs: number;
}

/**
 * Where a service's store time goes, for the benchmark: every command the driver sends, summed by
 * command and collection (`find visit_records`, `update visit_attributions`, ...), written as JSON to
 * `file` every few seconds and when the process ends. Names and durations only, never a filter or a
 * value. Off unless STORE_STATEMENT_PROFILE names a file.
 */
export function profileStatements(client: MongoClient, file: string, intervalMs = 5000): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const started = new Map<number, { key: string }>();
  const totals = new Map<string, StatementTotals>();
  client.on('commandStarted', (event) => {
    const target = event.command[event.commandName];
    started.set(event.requestId, { key: `${event.commandName} ${typeof target === 'string' ? target : ''}`.trim() });
  });
  const finish = (event: { requestId: number; duration: number }) => {
    const start = started.get(event.requestId);
    if (!start) return;
    started.delete(event.requestId);
    const entry = totals.get(start.key) ?? { statements: 0, totalMs: 0, maxMs: 0 };
    entry.statements++;
    entry.totalMs += event.duration;
    entry.maxMs = Math.max(entry.maxMs, event.duration);
    totals.set(start.key, entry);
  };
  client.on('commandSucceeded', finish);
  client.on('commandFailed', finish);
  const write = () => {
    const rows = [...totals.entries()]
      .map(([statement, t]) => ({ statement, ...t, totalMs: Math.round(t.totalMs), meanMs: Math.round((t.totalMs / t.statements) * 10) / 10 }))
      .sort((a, b) => b.totalMs - a.totalMs);
    fs.writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
  };
  setInterval(write, intervalMs).unref();
  process.once('exit', write);
}

import { createHash } from 'node:crypto';

/**
 * GIN indexes for FerretDB 1.24 on PostgreSQL.
 *
 * Why: FerretDB pushes an equality filter on a top-level field down as `(_jsonb -> 'field') @> '…'`,
 * which its own btree indexes cannot serve, so every find by `_id` scans the whole table. A GIN
 * index on that expression can (measured: a lone `_id` find went from 97 ms to 1.5 ms at 100k
 * documents). Only top-level fields are pushed down (`{'a.b': 1}` and `$in` are not), so only
 * those get one: `_id`, and the top-level fields of every index the services declared.
 *
 * FerretDB keeps one PostgreSQL schema per MongoDB database, each with a `_ferretdb_database_metadata`
 * table whose `_jsonb` maps a collection (`_id`) to its `table` and lists its `indexes` (`key`).
 */

/** Our indexes end so, and never collide with FerretDB's (`…_idx`). */
const GIN_SUFFIX = '_gin';
/** Build an index only when the table's lock comes quickly: writes queue behind CREATE INDEX. */
const LOCK_TIMEOUT = '2s';

export interface GinIndexTarget {
  schema: string;
  table: string;
  field: string;
  name: string;
}

interface Queryable {
  query<R extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/** The GIN indexes the collections described by one metadata row should have. */
export function ginTargets(schema: string, table: string, indexes: Array<{ key?: Record<string, unknown> }> | null | undefined): GinIndexTarget[] {
  const fields = new Set<string>(['_id']);
  for (const index of indexes ?? []) {
    for (const field of Object.keys(index.key ?? {})) {
      if (!field.includes('.') && !field.startsWith('$')) fields.add(field);
    }
  }
  return [...fields].map((field) => ({ schema, table, field, name: ginIndexName(table, field) }));
}

/** PostgreSQL names stop at 63 bytes; the hash keeps two long field names apart. */
export function ginIndexName(table: string, field: string): string {
  const hash = createHash('sha256').update(field).digest('hex').slice(0, 8);
  const readable = field.replace(/[^A-Za-z0-9_]/g, '_');
  return `${table}_${readable}`.slice(0, 63 - hash.length - GIN_SUFFIX.length - 1) + `_${hash}${GIN_SUFFIX}`;
}

export function createGinIndexSql(target: GinIndexTarget): string {
  return (
    `CREATE INDEX IF NOT EXISTS ${identifier(target.name)} ON ${identifier(target.schema)}.${identifier(target.table)} ` +
    `USING gin ((_jsonb -> ${literal(target.field)}) jsonb_path_ops)`
  );
}

/** One pass: creates the missing GIN indexes of every FerretDB collection; returns the ones it created. */
export async function syncGinIndexes(client: Queryable): Promise<GinIndexTarget[]> {
  const schemas = await client.query<{ schema: string }>(
    "SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = '_ferretdb_database_metadata'",
  );
  const targets: GinIndexTarget[] = [];
  for (const { schema } of schemas.rows) {
    const collections = await client
      .query<{ table: string; indexes: Array<{ key?: Record<string, unknown> }> | null }>(
        `SELECT _jsonb ->> 'table' AS table, _jsonb -> 'indexes' AS indexes FROM ${identifier(schema)}._ferretdb_database_metadata`,
      )
      .catch(() => ({ rows: [] })); // the database was dropped meanwhile
    for (const { table, indexes } of collections.rows) if (table) targets.push(...ginTargets(schema, table, indexes));
  }
  if (targets.length === 0) return [];

  const existing = await client.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'i' AND c.relname LIKE '%${GIN_SUFFIX}'`,
  );
  const have = new Set(existing.rows.map((row) => `${row.schema}.${row.name}`));
  const created: GinIndexTarget[] = [];
  for (const target of targets) {
    if (have.has(`${target.schema}.${target.name}`)) continue;
    try {
      await client.query(`SET lock_timeout = '${LOCK_TIMEOUT}'`);
      await client.query(createGinIndexSql(target));
      created.push(target);
    } catch {
      // Busy table (lock timeout) or dropped meanwhile: the next pass tries again.
    }
  }
  return created;
}

/** Runs `syncGinIndexes` every `intervalMs` (services create collections whenever they first write), until stopped. */
export class GinIndexSync {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly connectionString: string,
    private readonly log: (line: string) => void,
    private readonly intervalMs = 3_000,
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** One pass now (waits for a pass already running first). */
  async syncNow(): Promise<GinIndexTarget[]> {
    await this.running;
    return this.pass();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass()
        .then(() => undefined)
        .finally(() => {
          this.running = undefined;
          this.schedule(this.intervalMs);
        });
    }, ms);
    this.timer.unref(); // a forgotten stop() must not keep the process alive
  }

  private async pass(): Promise<GinIndexTarget[]> {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: this.connectionString, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      const created = await syncGinIndexes(client);
      if (created.length > 0) this.log(`Store: ${created.length} GIN index(es) created for FerretDB's PostgreSQL filters`);
      return created;
    } catch {
      return []; // PostgreSQL stopping or restarting: the next pass tries again
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function identifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

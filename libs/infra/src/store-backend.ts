/** What FerretDB, the local store, keeps its data in. */
export const STORE_BACKENDS = ['sqlite', 'postgresql'] as const;
export type StoreBackend = (typeof STORE_BACKENDS)[number];

export const STORE_BACKEND_ENV_VAR = 'CRC_STORE_BACKEND';

/** Unset or empty: PostgreSQL. SQLite stays for machines without the PostgreSQL binaries (they exist for Linux x64 only). */
export function parseStoreBackend(value: string | undefined): StoreBackend {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return 'postgresql';
  if ((STORE_BACKENDS as readonly string[]).includes(trimmed)) return trimmed as StoreBackend;
  throw new Error(`${STORE_BACKEND_ENV_VAR} must be one of ${STORE_BACKENDS.map((b) => `"${b}"`).join(', ')} (default "postgresql"), got "${value}"`);
}

/**
 * Each service's V8 old-space limit, in MB: the same wherever it runs (`npm start`, the benchmark,
 * docker compose, Kubernetes; a deployment test holds the manifests to it). Without a limit V8
 * sizes its heap from the machine's memory and, at a few hundred check-ins a second, let the
 * check-in service grow to 285 MB resident (measured); with these, every service stays under
 * 200 MB. Reporting gets more for roster uploads and rebuilds.
 */
export const SERVICE_HEAP_MB = {
  checkin: 128,
  membership: 128,
  telehealth: 128,
  reporting: 160,
} as const;

export type HeapLimitedService = keyof typeof SERVICE_HEAP_MB;

/**
 * V8's young generation, in MB a semi-space, where its default (16, two of them) is too much:
 * reporting's rebuild (`npm run reporting:rebuild`, run with reporting's settings) peaked at
 * 202 MB resident over 30k events with the default and 186 MB with 8, no slower (measured,
 * docs/benchmarks.md).
 */
export const SERVICE_SEMI_SPACE_MB: Partial<Record<HeapLimitedService, number>> = {
  reporting: 8,
};

/** The `NODE_OPTIONS` a service runs with. */
export function serviceNodeOptions(service: HeapLimitedService): string {
  const semiSpace = SERVICE_SEMI_SPACE_MB[service];
  return `--max-old-space-size=${SERVICE_HEAP_MB[service]}${semiSpace ? ` --max-semi-space-size=${semiSpace}` : ''}`;
}

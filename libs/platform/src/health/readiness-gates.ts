/** Something a service needs before it may take traffic, besides its store. */
export interface ReadinessGate {
  name: string;
  check(): Promise<{ ready: boolean; detail?: string }>;
}

/**
 * The conditions `/health` and `/health/ready` wait for beyond the store: a module registers its
 * own (reporting: its consumer has caught up), and the probes, `npm start` and the tests wait
 * until every one is met.
 */
export class ReadinessGates {
  private readonly gates: ReadinessGate[] = [];

  register(gate: ReadinessGate): void {
    this.gates.push(gate);
  }

  /** Each gate's state, `up` or why not; all `up` (or none registered) means ready. */
  async evaluate(): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const results = await Promise.all(
      this.gates.map(async (gate) => {
        try {
          const { ready, detail } = await gate.check();
          return [gate.name, ready ? 'up' : `down${detail ? `: ${detail}` : ''}`] as const;
        } catch {
          return [gate.name, 'down: check failed'] as const;
        }
      }),
    );
    return { ready: results.every(([, state]) => state === 'up'), checks: Object.fromEntries(results) };
  }
}

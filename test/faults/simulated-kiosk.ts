import { randomUUID } from 'node:crypto';

/**
 * A front-desk kiosk under test: checks visitors in at a steady rate and, like the real one,
 * retries an action with the same Idempotency-Key until the service answers 201. A visit counts as
 * accepted only when the kiosk got its 201.
 */
export class SimulatedKiosk {
  readonly accepted = new Set<string>();
  sent = 0;
  retries = 0;
  abandoned = 0;
  /** What each attempt got: an HTTP status, or the error that left it without one (for the report of a failed run). */
  readonly answers = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    private readonly baseUrl: () => string,
    private readonly centerId: string,
    private readonly token: string,
    private readonly perSecond: number,
    private readonly memberIds: string[],
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      const action = this.checkIn();
      this.inFlight.add(action);
      void action.finally(() => this.inFlight.delete(action));
    }, 1000 / this.perSecond);
  }

  /** Stops sending new check-ins; retries of queued ones go on until `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    clearInterval(this.timer);
    const deadline = Date.now() + graceMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    this.stopping = true;
    await Promise.all([...this.inFlight]);
  }

  private async checkIn(): Promise<void> {
    this.sent++;
    const key = randomUUID();
    const body = JSON.stringify({ visitor: { memberId: this.memberIds[this.sent % this.memberIds.length] }, purposes: ['EXERCISE_CLASS'] });
    for (let attempt = 0; ; attempt++) {
      if (this.stopping) {
        this.abandoned++;
        return;
      }
      if (attempt > 0) {
        this.retries++;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** attempt)));
      }
      try {
        const response = await fetch(`${this.baseUrl()}/v1/centers/${this.centerId}/check-ins`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', 'idempotency-key': key },
          body,
          signal: AbortSignal.timeout(5000),
        });
        this.count(
          `${response.status}${
            response.status >= 400
              ? ` ${await response
                  .clone()
                  .json()
                  .then(
                    (b) => (b as { error?: { code?: string } }).error?.code ?? '',
                    () => '',
                  )}`
              : ''
          }`,
        );
        if (response.status === 201) {
          this.accepted.add(((await response.json()) as { visitId: string }).visitId);
          return;
        }
        if (response.status < 500 && response.status !== 429) throw new Error(`check-in refused: ${response.status} ${await response.text()}`);
      } catch (error) {
        if ((error as Error).message.startsWith('check-in refused')) throw error;
        this.count((error as Error).name === 'TimeoutError' ? 'no answer within 5 s' : `${(error as Error).name}`);
        // The service is down or restarting: try again with the same key.
      }
    }
  }

  private count(answer: string): void {
    this.answers.set(answer, (this.answers.get(answer) ?? 0) + 1);
  }
}

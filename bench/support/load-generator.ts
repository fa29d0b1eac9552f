import * as http from 'node:http';

export interface LoadRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadOptions {
  host: string;
  port: number;
  /** Builds request number i. */
  request: (i: number) => LoadRequest;
  durationMs: number;
  /** Open loop: this many requests per second, on schedule whatever the answers. Closed loop when absent. */
  ratePerSecond?: number;
  /** Closed loop: requests in flight; open loop: the most connections to open. */
  connections: number;
  /** Measured only after this much time (the service warms up first). */
  warmupMs?: number;
  onResponse?: (i: number, status: number, body: string, at: number) => void;
}

export interface LoadResult {
  /** Answers with a 2xx status inside the measured window. */
  ok: number;
  /** Answers with a 2xx status at any time, warm-up included: what the service took in. */
  accepted: number;
  errors: number;
  /** Seconds of the measured window. */
  seconds: number;
  throughput: number;
  /** Milliseconds, 2xx answers to the requests due within the measured window, however late; open loop: from when the request was due (no coordinated omission). */
  latencies: number[];
  statuses: Record<string, number>;
}

/**
 * A small HTTP load generator on keep-alive connections. The closed loop finds the most a service
 * sustains; the open loop offers a fixed rate and measures latency from each request's due time, so a
 * stalled server is charged for the requests it kept waiting.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections, maxFreeSockets: options.connections });
  const started = performance.now();
  const warmupEnd = started + (options.warmupMs ?? 0);
  const end = warmupEnd + options.durationMs;
  const result: LoadResult = { ok: 0, accepted: 0, errors: 0, seconds: options.durationMs / 1000, throughput: 0, latencies: [], statuses: {} };
  let issued = 0;

  const send = (i: number, dueAt: number) =>
    new Promise<void>((resolve) => {
      const { path, headers, body } = options.request(i);
      const request = http.request(
        { host: options.host, port: options.port, method: 'POST', path, agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const at = performance.now();
            const status = response.statusCode ?? 0;
            const success = status >= 200 && status < 300;
            if (success) result.accepted++;
            // Throughput: answers that arrived within the window. Latency: every request due within
            // it, however late its answer (cutting off late answers would hide an overload's tail).
            if (success && at >= warmupEnd && at <= end) result.ok++;
            if (dueAt >= warmupEnd && dueAt < end) {
              result.statuses[status] = (result.statuses[status] ?? 0) + 1;
              if (success) result.latencies.push(at - dueAt);
              else result.errors++;
            }
            options.onResponse?.(i, status, Buffer.concat(chunks).toString('utf8'), at);
            resolve();
          });
        },
      );
      // A stalled answer counts as an error rather than holding the measurement up forever.
      request.setTimeout(30_000, () => request.destroy(new Error('timed out')));
      request.on('error', () => {
        if (dueAt >= warmupEnd) result.errors++;
        resolve();
      });
      request.end(body);
    });

  if (options.ratePerSecond === undefined) {
    const worker = async () => {
      while (performance.now() < end) await send(issued++, performance.now());
    };
    await Promise.all(Array.from({ length: options.connections }, worker));
  } else {
    const interval = 1000 / options.ratePerSecond;
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; ; i++) {
      const dueAt = started + i * interval;
      if (dueAt >= end) break;
      const wait = dueAt - performance.now();
      // Behind schedule, still yield once per request, so answers are read while we catch up.
      await new Promise((resolve) => (wait > 1 ? setTimeout(resolve, wait) : setImmediate(resolve)));
      const pending = send(issued++, dueAt);
      inFlight.add(pending);
      void pending.then(() => inFlight.delete(pending));
    }
    await Promise.all(inFlight);
  }
  agent.destroy();
  result.throughput = result.ok / result.seconds;
  return result;
}

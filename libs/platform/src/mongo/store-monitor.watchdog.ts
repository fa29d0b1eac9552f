import type { MongoClient } from 'mongodb';
import type { LogSink } from '../logging/log-sink';

/**
 * Heartbeats of the driver's server monitor that started and have not ended. The driver bounds a
 * heartbeat by `connectTimeoutMS` (connect and answer); one outstanding much longer than that
 * never ends.
 */
export class HeartbeatWatch {
  private readonly outstanding = new Map<string, number>();

  constructor(private readonly stuckAfterMs: number) {}

  started(address: string, at: number): void {
    this.outstanding.set(address, at);
  }

  ended(address: string): void {
    this.outstanding.delete(address);
  }

  /** Servers whose heartbeat has been outstanding too long; each is reported once per heartbeat. */
  stuck(now: number): string[] {
    const stuck = [...this.outstanding].filter(([, since]) => now - since > this.stuckAfterMs).map(([address]) => address);
    for (const address of stuck) this.outstanding.delete(address);
    return stuck;
  }
}

interface RestartableMonitor {
  close(): void;
  connect(): void;
}

/**
 * Restarts the monitor of one server: a new heartbeat on a new connection. Reaches into the
 * driver's topology (mongodb 6.x: `topology.s.servers`, `server.monitor`), so it checks the shape
 * and does nothing when it differs.
 */
export function restartServerMonitor(client: MongoClient, address: string): boolean {
  const servers = (client as unknown as { topology?: { s?: { servers?: Map<string, { monitor?: Partial<RestartableMonitor> | null }> } } }).topology?.s
    ?.servers;
  const monitor = servers instanceof Map ? servers.get(address)?.monitor : undefined;
  if (!monitor || typeof monitor.close !== 'function' || typeof monitor.connect !== 'function') return false;
  monitor.close();
  monitor.connect();
  return true;
}

/**
 * Watches the driver's server monitor and restarts it when a heartbeat never ends.
 *
 * Why: a server that reports no `topologyVersion` (FerretDB) keeps the monitor's connection across
 * pool clears. When the store closes all connections at once (a restart), a heartbeat can be
 * written to the monitor's socket after the socket was destroyed but before the driver saw it
 * close; the driver then waits for a `drain` that never comes (mongodb 6.20), no timeout applies to
 * a destroyed socket, and every operation fails server selection until the process restarts (seen
 * in the store-restart fault scenario: a heartbeat started, never ended, for 100 s). MongoDB
 * reports a `topologyVersion`, so there the driver replaces the monitor's connection on every pool
 * clear; the watch costs nothing there.
 */
export function watchServerMonitor(client: MongoClient, options: { stuckAfterMs: number; log: LogSink }): () => void {
  const watch = new HeartbeatWatch(options.stuckAfterMs);
  const onStarted = (event: { connectionId: string; awaited: boolean }) => {
    // Awaited heartbeats (MongoDB's streaming protocol) wait for news by design.
    if (!event.awaited) watch.started(event.connectionId, Date.now());
  };
  const onEnded = (event: { connectionId: string }) => watch.ended(event.connectionId);
  client.on('serverHeartbeatStarted', onStarted);
  client.on('serverHeartbeatSucceeded', onEnded);
  client.on('serverHeartbeatFailed', onEnded);
  const timer = setInterval(
    () => {
      for (const address of watch.stuck(Date.now())) {
        const restarted = restartServerMonitor(client, address);
        options.log.warn(
          { server: address, stuckAfterMs: options.stuckAfterMs, restarted },
          restarted
            ? "the store's monitor heartbeat never ended; monitor restarted"
            : "the store's monitor heartbeat never ended; the driver's monitor could not be reached to restart it",
        );
      }
    },
    Math.max(250, Math.floor(options.stuckAfterMs / 4)),
  );
  timer.unref();
  return () => {
    clearInterval(timer);
    client.off('serverHeartbeatStarted', onStarted);
    client.off('serverHeartbeatSucceeded', onEnded);
    client.off('serverHeartbeatFailed', onEnded);
  };
}

import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/**
 * Tells live dashboards that reporting's state changed. Bursts are coalesced: listeners hear at
 * most once per interval, so a health fair's rush does not recompute the summary per event.
 */
@Injectable()
export class DashboardChanges {
  private readonly emitter = new EventEmitter();
  private timer?: NodeJS.Timeout;

  constructor() {
    this.emitter.setMaxListeners(1000);
  }

  notify(intervalMs = 250): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.emitter.emit('changed');
    }, intervalMs);
    this.timer.unref();
  }

  /** Returns the function that stops listening. */
  subscribe(listener: () => void): () => void {
    this.emitter.on('changed', listener);
    return () => this.emitter.off('changed', listener);
  }
}

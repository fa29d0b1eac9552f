import { DomainError } from '@crc/contracts';
import type { DashboardSummary } from '@crc/contracts';

export class TooManyStreamsError extends DomainError {
  constructor(limit: number) {
    super('DASHBOARD.TOO_MANY_STREAMS', `This credential has ${limit} live streams open already; close one first.`, 'RATE_LIMITED', {
      limit,
      retryAfterSeconds: 30,
    });
  }
}

export class StreamsAtCapacityError extends DomainError {
  constructor(limit: number) {
    super('DASHBOARD.STREAMS_AT_CAPACITY', `The service serves ${limit} live streams already; try again later.`, 'UNAVAILABLE', { limit });
  }
}

export interface StreamLimits {
  perCredential: number;
  total: number;
}

/** A place among the open streams, held from admission until the connection closes. */
export interface StreamTicket {
  readonly credentialId: string;
  released: boolean;
}

interface Subscriber {
  write(frame: string): boolean;
  /** The socket's buffer is full: frames are skipped until it drains, then the latest is sent. */
  blocked: boolean;
}

/** The streams of one date range share one summary per change. */
interface RangeStreams {
  from?: string;
  to?: string;
  subscribers: Set<Subscriber>;
  /** The last summary sent, as its SSE frame; undefined once a change made it stale. */
  latest?: string;
  inFlight?: Promise<string>;
  /** A change arrived while computing: compute once more after. */
  again: boolean;
}

const frameOf = (summary: DashboardSummary) => `event: summary\ndata: ${JSON.stringify(summary)}\n\n`;

/**
 * The live dashboard's fan-out. Every change is computed once per date range that has streams
 * open, and the one frame is written to all of them (200 streams used to mean 200 summaries per
 * change, which took the service's readiness down). Streams are bounded per credential and in
 * total, and a slow reader is skipped rather than buffered for: it gets the latest frame when its
 * socket drains.
 */
export class DashboardStreamHub {
  private readonly ranges = new Map<string, RangeStreams>();
  private readonly openPerCredential = new Map<string, number>();
  private openTotal = 0;
  private readonly stopListening: () => void;

  constructor(
    private readonly compute: (from?: string, to?: string) => Promise<DashboardSummary>,
    onChange: (listener: () => void) => () => void,
    private readonly limits: StreamLimits,
  ) {
    this.stopListening = onChange(() => {
      for (const range of this.ranges.values()) {
        range.latest = undefined;
        void this.refresh(range).catch(() => this.broadcast(range, ': update failed\n\n'));
      }
    });
  }

  get open(): number {
    return this.openTotal;
  }

  /** Takes a place for a new stream, or refuses: 429 past the credential's share, 503 past the total. */
  admit(credentialId: string): StreamTicket {
    const mine = this.openPerCredential.get(credentialId) ?? 0;
    if (mine >= this.limits.perCredential) throw new TooManyStreamsError(this.limits.perCredential);
    if (this.openTotal >= this.limits.total) throw new StreamsAtCapacityError(this.limits.total);
    this.openPerCredential.set(credentialId, mine + 1);
    this.openTotal++;
    return { credentialId, released: false };
  }

  release(ticket: StreamTicket): void {
    if (ticket.released) return;
    ticket.released = true;
    this.openTotal--;
    const left = (this.openPerCredential.get(ticket.credentialId) ?? 1) - 1;
    if (left > 0) this.openPerCredential.set(ticket.credentialId, left);
    else this.openPerCredential.delete(ticket.credentialId);
  }

  /** The current frame of a range: shared with its open streams, computed only when stale. */
  firstFrame(from?: string, to?: string): Promise<string> {
    const range = this.rangeOf(from, to);
    if (range.latest !== undefined) return Promise.resolve(range.latest);
    return range.inFlight ?? this.refresh(range);
  }

  /**
   * Adds an admitted stream that has been sent `first`; returns what the connection calls when its
   * socket drains and when it closes.
   */
  attach(ticket: StreamTicket, from: string | undefined, to: string | undefined, first: string, write: (frame: string) => boolean) {
    const range = this.rangeOf(from, to);
    // A range left alone while its first frame was computed was dropped; `first` is its latest.
    if (range.subscribers.size === 0 && !range.inFlight) range.latest ??= first;
    const subscriber: Subscriber = { write, blocked: false };
    range.subscribers.add(subscriber);
    // A change computed while this stream was being set up.
    if (range.latest !== undefined && range.latest !== first) this.deliver(subscriber, range.latest);
    return {
      drained: () => {
        subscriber.blocked = false;
        if (range.latest !== undefined) this.deliver(subscriber, range.latest);
      },
      close: () => {
        range.subscribers.delete(subscriber);
        if (range.subscribers.size === 0 && !range.inFlight) this.ranges.delete(this.keyOf(from, to));
        this.release(ticket);
      },
    };
  }

  /** Nest calls this at shutdown. */
  onModuleDestroy(): void {
    this.stopListening();
  }

  private keyOf(from?: string, to?: string): string {
    return `${from ?? ''}/${to ?? ''}`;
  }

  private rangeOf(from?: string, to?: string): RangeStreams {
    const key = this.keyOf(from, to);
    let range = this.ranges.get(key);
    if (!range) this.ranges.set(key, (range = { from, to, subscribers: new Set(), again: false }));
    return range;
  }

  /** Computes the range's summary once however many changes and streams ask, then fans it out. */
  private refresh(range: RangeStreams): Promise<string> {
    if (range.inFlight) {
      range.again = true;
      return range.inFlight;
    }
    range.inFlight = (async () => {
      try {
        let frame: string;
        do {
          range.again = false;
          frame = frameOf(await this.compute(range.from, range.to));
        } while (range.again);
        range.latest = frame;
        this.broadcast(range, frame);
        return frame;
      } finally {
        range.inFlight = undefined;
        if (range.subscribers.size === 0) this.ranges.delete(this.keyOf(range.from, range.to));
      }
    })();
    return range.inFlight;
  }

  private broadcast(range: RangeStreams, frame: string): void {
    for (const subscriber of range.subscribers) this.deliver(subscriber, frame);
  }

  private deliver(subscriber: Subscriber, frame: string): void {
    if (subscriber.blocked) return;
    // write() false: the frame is queued, but nothing more until the socket drains.
    if (!subscriber.write(frame)) subscriber.blocked = true;
  }
}

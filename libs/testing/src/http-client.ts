import { parseServerSentEvents, ServerSentEvent } from './server-sent-events';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** One request and its answer, as a response check sees it. */
export interface HttpExchange {
  method: string;
  /** The path and query, as requested. */
  path: string;
  status: number;
  headers: Headers;
  /** The body as received. */
  text: string;
}

/** Looks at every answer the client receives; throws to fail the call (e.g. a response not as documented). */
export type ResponseCheck = (exchange: HttpExchange) => void;

/** Looks at each event of a stream whose opening answer passed the response check; throws to fail the stream. */
export type EventCheck = (exchange: HttpExchange, event: ServerSentEvent) => void;

/** A server-sent event stream as a test reads it: events are read, and checked, as they come. */
export interface EventStream<T = any> {
  status: number;
  headers: Headers;
  /** The answer's body when it is not a stream (a refusal), parsed when JSON. */
  body?: T;
  /** Every event received so far, each one checked. */
  readonly events: readonly ServerSentEvent[];
  /** The first `count` events, once they have come; rejects if the stream ends, fails its check or is refused first. */
  received(count: number): Promise<ServerSentEvent[]>;
  /** Closes the connection (the server sees the client go). */
  close(): void;
}

/** A small fetch wrapper for end-to-end tests: real HTTP against a listening service. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
    private readonly responseCheck?: ResponseCheck,
    private readonly eventCheck?: EventCheck,
  ) {}

  as(token: string | undefined): ApiClient {
    return new ApiClient(this.baseUrl, token, this.responseCheck, this.eventCheck);
  }

  /**
   * The same client without the response check: only for requests that leave the API on purpose
   * (a route that does not exist, a method no route has); say why where it is used.
   */
  unchecked(): ApiClient {
    return new ApiClient(this.baseUrl, this.token);
  }

  /**
   * Opens a server-sent event stream (GET) and reads it in the background until `close()`. The
   * opening answer goes through the response check; each event through the event check.
   */
  async events<T = any>(path: string, headers: Record<string, string> = {}): Promise<EventStream<T>> {
    const controller = new AbortController();
    const init: RequestInit = { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal };
    if (this.token) (init.headers as Record<string, string>).authorization = `Bearer ${this.token}`;
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const opened = { method: 'GET', path, status: response.status, headers: response.headers };
    if (response.status !== 200 || !/^text\/event-stream\b/.test(response.headers.get('content-type') ?? '')) {
      const text = await response.text();
      this.responseCheck?.({ ...opened, text });
      const refused = new Error(`GET ${path} answered ${response.status}, not a stream`);
      return {
        ...opened,
        body: (/^application\/(.+\+)?json\b/.test(response.headers.get('content-type') ?? '') && text ? JSON.parse(text) : text) as T,
        events: [],
        received: () => Promise.reject(refused),
        close: () => undefined,
      };
    }
    // The stream's body is its events: the opening answer is checked without one.
    const exchange: HttpExchange = { ...opened, text: '' };
    try {
      this.responseCheck?.(exchange);
    } catch (error) {
      controller.abort();
      throw error;
    }

    const events: ServerSentEvent[] = [];
    let ended: Error | undefined;
    let waiting: Array<() => void> = [];
    const wake = () => {
      const woken = waiting;
      waiting = [];
      for (const look of woken) look();
    };
    void (async () => {
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let pending = '';
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) throw new Error(`the stream GET ${path} ended`);
          const parsed = parseServerSentEvents(pending + decoder.decode(value, { stream: true }));
          pending = parsed.rest;
          for (const event of parsed.events) {
            this.eventCheck?.(exchange, event);
            events.push(event);
          }
          wake();
        }
      } catch (error) {
        ended = controller.signal.aborted ? new Error(`the stream GET ${path} was closed`) : (error as Error);
        controller.abort();
        wake();
      }
    })();
    return {
      ...opened,
      events,
      received: (count) =>
        new Promise((resolve, reject) => {
          const look = () => {
            if (events.length >= count) resolve(events.slice(0, count));
            else if (ended) reject(ended);
            else waiting.push(look);
          };
          look();
        }),
      close: () => controller.abort(),
    };
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (this.token) (init.headers as Record<string, string>).authorization = `Bearer ${this.token}`;
    if (body !== undefined) {
      if (typeof body === 'string' || body instanceof Uint8Array) init.body = body;
      else {
        init.body = JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      }
    }
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const text = await response.text();
    this.responseCheck?.({ method, path, status: response.status, headers: response.headers, text });
    let parsed: unknown = text;
    if (/^application\/(.+\+)?json\b/.test(response.headers.get('content-type') ?? '') && text) parsed = JSON.parse(text);
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, undefined, headers);
  }

  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }

  put<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('PUT', path, body, headers);
  }
}

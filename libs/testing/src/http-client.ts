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

/** A small fetch wrapper for end-to-end tests: real HTTP against a listening service. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
    private readonly responseCheck?: ResponseCheck,
  ) {}

  as(token: string | undefined): ApiClient {
    return new ApiClient(this.baseUrl, token, this.responseCheck);
  }

  /**
   * The same client without the response check: only for requests that leave the API on purpose
   * (a route that does not exist, a method no route has); say why where it is used.
   */
  unchecked(): ApiClient {
    return new ApiClient(this.baseUrl, this.token);
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

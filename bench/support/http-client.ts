import * as http from 'node:http';

export interface HttpAnswer {
  status: number;
  body: string;
}

/** One request on a keep-alive agent; a failed connection answers status 0 (counted as an error, never thrown). */
export function httpCall(
  agent: http.Agent,
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
  timeoutMs = 60_000,
): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', () => resolve({ status: 0, body: '' }));
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Error('timed out')));
    request.on('error', (error) => resolve({ status: 0, body: String(error) }));
    request.end(body);
  });
}

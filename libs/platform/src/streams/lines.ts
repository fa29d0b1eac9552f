/** Marks a line that exceeded the limit; its content is dropped, the lines after it are not. */
export const LINE_TOO_LONG = Symbol('LINE_TOO_LONG');

/**
 * Splits a byte stream into UTF-8 lines without holding more than one line in memory, so that a
 * large upload is streamed. Invalid UTF-8 becomes U+FFFD, which row validation then refuses.
 */
export async function* linesOf(chunks: AsyncIterable<Buffer | string>, maxLineBytes = 64 * 1024): AsyncGenerator<string | typeof LINE_TOO_LONG> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overflowing = false;
  for await (const chunk of chunks) {
    let buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let newline = buffer.indexOf(0x0a);
    while (newline !== -1) {
      const head = buffer.subarray(0, newline);
      if (overflowing || pendingBytes + head.length > maxLineBytes) yield LINE_TOO_LONG;
      else yield Buffer.concat([...pending, head]).toString('utf8');
      pending = [];
      pendingBytes = 0;
      overflowing = false;
      buffer = buffer.subarray(newline + 1);
      newline = buffer.indexOf(0x0a);
    }
    if (buffer.length > 0 && !overflowing) {
      if (pendingBytes + buffer.length > maxLineBytes) {
        overflowing = true;
        pending = [];
        pendingBytes = 0;
      } else {
        pending.push(Buffer.from(buffer));
        pendingBytes += buffer.length;
      }
    }
  }
  if (overflowing) yield LINE_TOO_LONG;
  else if (pendingBytes > 0) yield Buffer.concat(pending).toString('utf8');
}

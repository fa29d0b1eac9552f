import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it("allows a minute's worth at once, then refuses until tokens come back", () => {
    const limiter = new RateLimiter(60);
    const start = 1_000_000;
    for (let i = 0; i < 60; i++) expect(limiter.take('kiosk:a', start)).toBeUndefined();
    expect(limiter.take('kiosk:a', start)).toBe(1);
    expect(limiter.take('kiosk:a', start + 1000)).toBeUndefined();
    expect(limiter.take('kiosk:a', start + 1000)).toBe(1);
  });

  it('keeps callers apart, and does nothing when disabled', () => {
    const limiter = new RateLimiter(1);
    expect(limiter.take('a', 0)).toBeUndefined();
    expect(limiter.take('a', 0)).toBe(60);
    expect(limiter.take('b', 0)).toBeUndefined();
    const off = new RateLimiter(0);
    for (let i = 0; i < 1000; i++) expect(off.take('a', 0)).toBeUndefined();
  });

  it('forgets the oldest caller rather than grow without bound', () => {
    const limiter = new RateLimiter(1, 2);
    limiter.take('a', 0);
    limiter.take('b', 0);
    limiter.take('c', 0);
    // 'a' was forgotten: it starts with a full bucket again.
    expect(limiter.take('a', 0)).toBeUndefined();
  });
});

/**
 * Runs `work` while sending the group coordinator a heartbeat every `intervalMs`.
 *
 * kafkajs sends heartbeats only when the batch handler calls `heartbeat()`. A chunk that takes
 * longer than the session timeout (a backlog after an outage, on a busy machine) gets the member
 * dropped from its group; it rejoins, is given the same uncommitted chunk, takes as long again,
 * and never gets further. Heartbeats during the work keep the membership while it progresses. A
 * heartbeat that fails (a rebalance began) is left to the caller's next `heartbeat()`, which
 * kafkajs answers by rejoining.
 */
export async function keepHeartbeating<T>(heartbeat: () => Promise<void>, intervalMs: number, work: () => Promise<T>): Promise<T> {
  let sending: Promise<void> | undefined;
  const timer = setInterval(() => {
    sending ??= heartbeat()
      .catch(() => undefined)
      .finally(() => {
        sending = undefined;
      });
  }, intervalMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    await sending;
  }
}

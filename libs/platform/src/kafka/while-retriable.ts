/**
 * Calls again while Kafka answers with an error it marks retriable, at most `attempts` times
 * (about 5 s by default). kafkajs's admin does not retry some of these itself: right after a topic
 * is created, a one-broker cluster may answer that the partition has no leader yet, or that it does
 * not host it.
 */
export async function whileRetriable<T>(call: () => Promise<T>, { attempts = 20, pauseMs = 250 }: { attempts?: number; pauseMs?: number } = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable !== true || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

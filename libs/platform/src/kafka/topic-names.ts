/**
 * Maps contract topic names (`crc.checkin.visit-checked-in.v1`) to the topics on the cluster.
 * A prefix lets several environments or test runs share one cluster without seeing each other.
 */
export class TopicNames {
  constructor(private readonly prefix: string) {}

  physical(topic: string): string {
    return this.prefix ? `${this.prefix}.${topic}` : topic;
  }

  logical(physicalTopic: string): string {
    return this.prefix && physicalTopic.startsWith(`${this.prefix}.`) ? physicalTopic.slice(this.prefix.length + 1) : physicalTopic;
  }
}

/** Where a consuming service parks events it cannot process: `crc.<service>.dead-letter.v1`. */
export function deadLetterTopic(service: string): string {
  return `crc.${service}.dead-letter.v1`;
}

import { BaseRpcContext } from '@nestjs/microservices';

/**
 * Where a batch handed to an `@EventPattern` handler comes from: its topic (logical, without the
 * deployment's prefix), its partition and the consumer group reading it. `@Ctx()` in a handler.
 */
export class KafkaBatchContext extends BaseRpcContext<[topic: string, partition: number, group: string]> {
  getTopic(): string {
    return this.args[0];
  }

  getPartition(): number {
    return this.args[1];
  }

  getGroup(): string {
    return this.args[2];
  }
}

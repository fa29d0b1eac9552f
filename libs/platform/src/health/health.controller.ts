import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Connection } from 'mongoose';
import { Public } from '../auth/authorize.decorator';
import { EventPublisher } from '../kafka/event-publisher';
import { KafkaConnection } from '../kafka/kafka.module';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @InjectConnection() private readonly mongo: Connection,
    private readonly publisher: EventPublisher,
    private readonly kafka: KafkaConnection,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Readiness: the store answers and the Kafka broker is reachable with the producer connected.' })
  @ApiOkResponse({ schema: { example: { status: 'ok', checks: { store: 'up', kafka: 'up' } } } })
  @ApiServiceUnavailableResponse({ schema: { example: { status: 'degraded', checks: { store: 'up', kafka: 'down' } } } })
  async check(@Res() reply: FastifyReply): Promise<void> {
    const [store, reachable] = await Promise.all([this.pingStore(), this.kafka.isReachable()]);
    const kafka = reachable && this.publisher.isConnected ? 'up' : 'down';
    const healthy = store === 'up' && kafka === 'up';
    await reply
      .status(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .send({ status: healthy ? 'ok' : 'degraded', checks: { store, kafka } });
  }

  private async pingStore(): Promise<'up' | 'down'> {
    try {
      const db = this.mongo.db;
      if (!db) return 'down';
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        db.command({ ping: 1 }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), 1000);
        }),
      ]).finally(() => clearTimeout(timer));
      return 'up';
    } catch {
      return 'down';
    }
  }
}

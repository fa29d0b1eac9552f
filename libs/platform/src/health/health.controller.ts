import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Connection } from 'mongoose';
import { Public } from '../auth/authorize.decorator';
import { EventPublisher } from '../kafka/event-publisher';
import { KafkaConnection } from '../kafka/kafka-connection';
import { HealthResponse } from './health.response';
import { ReadinessGates } from './readiness-gates';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @InjectConnection() private readonly mongo: Connection,
    private readonly publisher: EventPublisher,
    private readonly kafka: KafkaConnection,
    private readonly gates: ReadinessGates,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Whether the service can do its work',
    description:
      'The store answers, the Kafka broker is reachable with the producer connected, and the service is ready (a service that consumes ' +
      'events: its consumer has caught up). No token needed.',
  })
  @ApiOkResponse({ type: HealthResponse, description: 'Every check is up.' })
  @ApiServiceUnavailableResponse({ type: HealthResponse, description: 'A check is down; the body says which.' })
  async check(@Res() reply: FastifyReply): Promise<void> {
    const [store, reachable, gates] = await Promise.all([this.pingStore(), this.kafka.isReachable(), this.gates.evaluate()]);
    const kafka = reachable && this.publisher.isConnected ? 'up' : 'down';
    const healthy = store === 'up' && kafka === 'up' && gates.ready;
    await reply
      .status(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .send({ status: healthy ? 'ok' : 'degraded', checks: { store, kafka, ...gates.checks } });
  }

  /**
   * Liveness, for Kubernetes' livenessProbe: the process answers. It checks no dependency, as a
   * restart would bring back neither a store nor a broker. Infrastructure, not API: not in /docs.
   */
  @Get('live')
  @Public()
  @ApiExcludeEndpoint()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness, for Kubernetes' readinessProbe: the store answers and the service's own gates are
   * met (reporting: its consumer joined its group, got its partitions and caught up, once since it
   * started). Kafka itself is not required: writes wait in the outbox while the broker is away, so
   * the front desk keeps working through an outage.
   */
  @Get('ready')
  @Public()
  @ApiExcludeEndpoint()
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const [store, gates] = await Promise.all([this.pingStore(), this.gates.evaluate()]);
    const ready = store === 'up' && gates.ready;
    await reply.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send({ status: ready ? 'ok' : 'degraded', checks: { store, ...gates.checks } });
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

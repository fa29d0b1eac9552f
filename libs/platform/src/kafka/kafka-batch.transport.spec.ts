import { CallHandler, Controller, ExecutionContext, INestMicroservice, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { Kafka } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { Observable, tap } from 'rxjs';
import { EventDefinition, VisitCheckedInV1Event, VisitCheckedOutV1Event } from '@crc/contracts';
import { ReadinessGates } from '../health/readiness-gates';
import { silentLog } from '../logging/log-sink';
import { KafkaConsumerMetrics } from '../metrics/kafka-consumer-metrics';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { ConsumedEvent } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { KafkaBatchContext } from './kafka-batch.context';
import { ConsumerGroupOptions, KafkaBatchTransport } from './kafka-batch.transport';
import { KafkaConnection } from './kafka-connection';
import { TopicNames } from './topic-names';
import { UncommittedBatchFilter } from './uncommitted-batch.filter';

/** What the handlers saw, in order. */
class Seen {
  readonly calls: Array<{ handler: string; events: ConsumedEvent[]; context: KafkaBatchContext }> = [];
  readonly intercepted: string[] = [];
  failWith?: Error;
  /** Resolved by the test: the handler's write is "durable" only then. */
  release?: () => void;
}

@Injectable()
class CountingInterceptor implements NestInterceptor {
  constructor(private readonly seen: Seen) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const events = context.switchToRpc().getData<ConsumedEvent[]>();
    this.seen.intercepted.push(`before ${events.length}`);
    return next.handle().pipe(tap({ complete: () => this.seen.intercepted.push(`after ${events.length}`) }));
  }
}

@Controller()
class CheckInsMessageController {
  constructor(private readonly seen: Seen) {}

  @EventPattern(VisitCheckedInV1Event.topic)
  async record(@Payload() events: ConsumedEvent[], @Ctx() context: KafkaBatchContext): Promise<void> {
    this.seen.calls.push({ handler: 'check-ins', events, context });
    if (this.seen.failWith) throw this.seen.failWith;
    if (this.seen.release) await new Promise<void>((resolve) => (this.seen.release = resolve));
  }
}

@Controller()
@UseInterceptors(CountingInterceptor)
class CheckOutsMessageController {
  constructor(private readonly seen: Seen) {}

  @EventPattern(VisitCheckedOutV1Event.topic)
  record(@Payload() events: ConsumedEvent[]): void {
    this.seen.calls.push({ handler: 'check-outs', events, context: undefined as never });
    if (this.seen.failWith) throw this.seen.failWith;
  }
}

const eventsOf = (definition: EventDefinition<object>, count: number, partition = 2): ConsumedEvent[] =>
  Array.from({ length: count }, (_, i) => ({
    definition,
    envelope: { id: `event-${i}` } as ConsumedEvent['envelope'],
    partition,
    offset: String(100 + i),
  }));

const group = (definitions: EventDefinition<object>[], overrides: Partial<ConsumerGroupOptions> = {}): ConsumerGroupOptions => ({
  groupId: 'crc.test.visits.v1',
  service: 'test',
  definitions,
  readyMaxConsumerLag: 0,
  enabled: false,
  ...overrides,
});

/** A transport with no broker behind it: the groups are declared, never started. */
function transportWithoutBroker(readiness = new ReadinessGates()): KafkaBatchTransport {
  const connection = { kafka: {} as Kafka, topics: new TopicNames('t') } as KafkaConnection;
  const log = Object.assign(Object.create(silentLog) as object, { setContext() {} }) as unknown as PinoLogger;
  return new KafkaBatchTransport(connection, {} as EventPublisher, new KafkaConsumerMetrics(new MetricsRegistry()), readiness, log);
}

async function microservice(
  transport: KafkaBatchTransport,
  seen: Seen,
  controllers = [CheckInsMessageController, CheckOutsMessageController],
): Promise<INestMicroservice> {
  const module = await Test.createTestingModule({ controllers, providers: [{ provide: Seen, useValue: seen }, CountingInterceptor] }).compile();
  const app = module.createNestMicroservice({ strategy: transport });
  app.useGlobalFilters(new UncommittedBatchFilter());
  return app;
}

describe('KafkaBatchTransport', () => {
  let app: INestMicroservice | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('hands each chunk, whole, to the handler of its topic, with the topic, partition and group', async () => {
    const seen = new Seen();
    const transport = transportWithoutBroker();
    transport.declare(group([VisitCheckedInV1Event, VisitCheckedOutV1Event]));
    app = await microservice(transport, seen);
    await app.listen();

    const checkIns = eventsOf(VisitCheckedInV1Event, 3, 4);
    await transport.dispatch('crc.test.visits.v1', checkIns);
    await transport.dispatch('crc.test.visits.v1', eventsOf(VisitCheckedOutV1Event, 2));

    expect(seen.calls.map((c) => [c.handler, c.events.length])).toEqual([
      ['check-ins', 3],
      ['check-outs', 2],
    ]);
    expect(seen.calls[0].events).toBe(checkIns);
    const context = seen.calls[0].context;
    expect([context.getTopic(), context.getPartition(), context.getGroup()]).toEqual([VisitCheckedInV1Event.topic, 4, 'crc.test.visits.v1']);
  });

  it('settles a chunk only when the handler has finished (the loop commits after that)', async () => {
    const seen = new Seen();
    seen.release = () => undefined;
    const transport = transportWithoutBroker();
    transport.declare(group([VisitCheckedInV1Event, VisitCheckedOutV1Event]));
    app = await microservice(transport, seen);
    await app.listen();

    let settled = false;
    const dispatched = transport.dispatch('crc.test.visits.v1', eventsOf(VisitCheckedInV1Event, 1)).then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    seen.release();
    await dispatched;
    expect(settled).toBe(true);
  });

  it("runs the controller's interceptors once per chunk, not once per event", async () => {
    const seen = new Seen();
    const transport = transportWithoutBroker();
    transport.declare(group([VisitCheckedInV1Event, VisitCheckedOutV1Event]));
    app = await microservice(transport, seen);
    await app.listen();

    await transport.dispatch('crc.test.visits.v1', eventsOf(VisitCheckedOutV1Event, 50));
    expect(seen.intercepted).toEqual(['before 50', 'after 50']);
  });

  it('fails the chunk with the handler’s own error, through interceptors too, so it is retried and never committed', async () => {
    const seen = new Seen();
    seen.failWith = new Error('store unavailable');
    const transport = transportWithoutBroker();
    transport.declare(group([VisitCheckedInV1Event, VisitCheckedOutV1Event]));
    app = await microservice(transport, seen);
    await app.listen();

    await expect(transport.dispatch('crc.test.visits.v1', eventsOf(VisitCheckedInV1Event, 1))).rejects.toBe(seen.failWith);
    await expect(transport.dispatch('crc.test.visits.v1', eventsOf(VisitCheckedOutV1Event, 1))).rejects.toBe(seen.failWith);
  });

  it('refuses to start when a consumed topic has no handler, or a handler no group reads its topic', async () => {
    const unhandled = transportWithoutBroker();
    unhandled.declare(group([VisitCheckedInV1Event, VisitCheckedOutV1Event]));
    app = await microservice(unhandled, new Seen(), [CheckInsMessageController]);
    await expect(app.listen()).rejects.toThrow(`consumer group crc.test.visits.v1 reads ${VisitCheckedOutV1Event.topic}, which no @EventPattern handles`);
    await app.close();

    const unread = transportWithoutBroker();
    unread.declare(group([VisitCheckedInV1Event]));
    app = await microservice(unread, new Seen());
    await expect(app.listen()).rejects.toThrow(`@EventPattern(${VisitCheckedOutV1Event.topic}) handles a topic no consumer group reads`);
  });

  it('holds readiness back from the declaration of an enabled group until it has joined and caught up; a disabled group does not', async () => {
    const readiness = new ReadinessGates();
    const transport = transportWithoutBroker(readiness);
    transport.declare(group([VisitCheckedOutV1Event], { groupId: 'off' }));
    expect(await readiness.evaluate()).toEqual({ ready: true, checks: {} });

    transport.declare(group([VisitCheckedInV1Event], { groupId: 'on', enabled: true }));
    expect(await readiness.evaluate()).toEqual({ ready: false, checks: { consumer: 'down: not in its consumer group yet' } });
    expect(() => transport.declare(group([VisitCheckedInV1Event], { groupId: 'on' }))).toThrow('consumer group on is declared twice');
  });
});

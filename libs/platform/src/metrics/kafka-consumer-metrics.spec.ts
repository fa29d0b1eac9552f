import { KafkaConsumerMetrics } from './kafka-consumer-metrics';
import { MetricsRegistry } from './metrics-registry';

async function lagSeries(registry: MetricsRegistry): Promise<Array<{ labels: Record<string, string | number>; value: number }>> {
  const metric = await registry.getSingleMetric('crc_kafka_consumer_lag')!.get();
  return metric.values.map(({ labels, value }) => ({ labels: labels as Record<string, string | number>, value }));
}

describe('KafkaConsumerMetrics', () => {
  it('reports the lag as the messages between the next offset and the high watermark', async () => {
    const registry = new MetricsRegistry();
    const metrics = new KafkaConsumerMetrics(registry);
    metrics.recordPosition('g', 'crc.checkin.visit-checked-in.v1', 2, '120', '100');
    expect(await lagSeries(registry)).toEqual([{ labels: { group: 'g', topic: 'crc.checkin.visit-checked-in.v1', partition: '2' }, value: 20 }]);
    metrics.recordPosition('g', 'crc.checkin.visit-checked-in.v1', 2, '120', '120');
    expect((await lagSeries(registry))[0].value).toBe(0);
  });

  it('stops reporting partitions that a rebalance gave to another instance', async () => {
    const registry = new MetricsRegistry();
    const metrics = new KafkaConsumerMetrics(registry);
    metrics.recordPosition('g', 'a', 0, '5', '1');
    metrics.recordPosition('g', 'a', 1, '5', '1');
    metrics.recordPosition('g', 'b', 0, '5', '1');
    metrics.assigned('g', { a: [1] });
    expect((await lagSeries(registry)).map((s) => `${s.labels.topic}/${s.labels.partition}`)).toEqual(['a/1']);
  });
});

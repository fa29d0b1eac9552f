import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { AttributedPlan, AttributionBasis } from '@crc/contracts';
import { MetricsRegistry } from '@crc/platform';

/** Reporting's own metrics: attributions recorded, per plan and basis. Counts only, never who. */
@Injectable()
export class AttributionMetrics {
  private readonly attributions: Counter<'plan' | 'basis' | 'kind'>;

  constructor(registry: MetricsRegistry) {
    this.attributions = new Counter({
      name: 'crc_attributions_total',
      help: 'Visit attributions recorded (a first one, or a correction after a roster or visit change), by plan and basis.',
      labelNames: ['plan', 'basis', 'kind'],
      registers: [registry],
    });
  }

  recorded(attribution: { plan: AttributedPlan; basis: AttributionBasis }, kind: 'first' | 'correction'): void {
    this.attributions.inc({ plan: attribution.plan, basis: attribution.basis, kind });
  }
}

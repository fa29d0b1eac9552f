import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { AttributedPlan, AttributionBasis } from '@crc/contracts';
import { MetricsRegistry } from '@crc/platform';
import type { ServiceKind } from './domain/service-join';

/** Reporting's own metrics: attributions recorded, per plan and basis; services kept aside. Counts only, never who. */
@Injectable()
export class AttributionMetrics {
  private readonly attributions: Counter<'plan' | 'basis' | 'kind'>;
  private readonly keptAside: Counter<'kind'>;

  constructor(registry: MetricsRegistry) {
    this.attributions = new Counter({
      name: 'crc_attributions_total',
      help: 'Visit attributions recorded (a first one, or a correction after a roster or visit change), by plan and basis.',
      labelNames: ['plan', 'basis', 'kind'],
      registers: [registry],
    });
    this.keptAside = new Counter({
      name: 'crc_services_quarantined_total',
      help: 'Help cases and Wi-Fi sessions kept aside because they named a visit of another center, by kind (each counted once).',
      labelNames: ['kind'],
      registers: [registry],
    });
  }

  recorded(attribution: { plan: AttributedPlan; basis: AttributionBasis }, kind: 'first' | 'correction'): void {
    this.attributions.inc({ plan: attribution.plan, basis: attribution.basis, kind });
  }

  quarantined(services: Array<{ kind: ServiceKind }>): void {
    for (const s of services) this.keptAside.inc({ kind: s.kind });
  }
}

import { readFileSync } from 'node:fs';
import { isPartnerPlan, PartnerPlan } from '@crc/contracts';

/** Each plan's product lines, as configuration: a plan adding one is a data change, not a release. */
export class ProductLineCatalog {
  constructor(private readonly lines: Record<PartnerPlan, ReadonlySet<string>>) {}

  static fromFile(path: string): ProductLineCatalog {
    let parsed: Record<string, string[]>;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string[]>;
    } catch (error) {
      throw new Error(`PRODUCT_LINES_FILE ${path}: ${(error as Error).message}`);
    }
    const lines = {} as Record<PartnerPlan, ReadonlySet<string>>;
    for (const [plan, list] of Object.entries(parsed)) {
      if (!isPartnerPlan(plan)) throw new Error(`PRODUCT_LINES_FILE ${path}: unknown plan ${plan}`);
      lines[plan] = new Set(list.map((l) => l.toUpperCase()));
    }
    return new ProductLineCatalog(lines);
  }

  of(plan: PartnerPlan): ReadonlySet<string> {
    return this.lines[plan] ?? new Set();
  }
}

import { readFileSync } from 'node:fs';
import { CENTER_ID_PATTERN } from '@crc/contracts';
import { DomainError } from '@crc/contracts';

export interface Center {
  centerId: string;
  name: string;
  city: string;
}

export class UnknownCenterError extends DomainError {
  constructor() {
    super('CENTER.NOT_FOUND', 'No such center.', 'NOT_FOUND');
  }
}

/** The network's centers: reference data, loaded once at boot. */
export class CenterDirectory {
  private readonly byId: ReadonlyMap<string, Center>;

  constructor(centers: Center[]) {
    for (const center of centers) {
      if (!CENTER_ID_PATTERN.test(center.centerId)) throw new Error(`centers: invalid center id "${center.centerId}"`);
    }
    this.byId = new Map(centers.map((c) => [c.centerId, c]));
    if (this.byId.size !== centers.length) throw new Error('centers: duplicate center id');
  }

  static fromFile(path: string): CenterDirectory {
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as { centers: Center[] };
      return new CenterDirectory(parsed.centers);
    } catch (error) {
      throw new Error(`CENTERS_FILE ${path}: ${(error as Error).message}`);
    }
  }

  all(): Center[] {
    return [...this.byId.values()];
  }

  ids(): ReadonlySet<string> {
    return new Set(this.byId.keys());
  }

  get(centerId: string): Center {
    const center = this.byId.get(centerId);
    if (!center) throw new UnknownCenterError();
    return center;
  }
}

/**
 * Which services (help cases, Wi-Fi sessions) belong to which visits. A service names its visit by
 * id, and that alone proves nothing: a kiosk could name another center's visit. A service attaches
 * to a visit only when both are of the same center; one naming a visit of another center is
 * quarantined, never attached to anybody's visit. One naming a visit not (yet) known waits: its
 * visit's check-in may still come (from an offline kiosk), and is then checked like any other.
 */

export type ServiceKind = 'HELP_CASE' | 'WIFI_SESSION';

/** A service as the join needs it: what it names and where it was used. */
export interface NamedService {
  kind: ServiceKind;
  serviceId: string;
  visitId?: string;
  /** The center the service was used at (its producer's request path). */
  centerId: string;
  serviceDate: string;
}

export interface VisitPlace {
  visitId: string;
  centerId: string;
}

export const QUARANTINE_REASONS = ['VISIT_AT_OTHER_CENTER'] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

/** A service kept aside: it named a visit of another center. */
export interface QuarantinedService {
  kind: ServiceKind;
  serviceId: string;
  visitId: string;
  centerId: string;
  serviceDate: string;
  visitCenterId: string;
  reason: QuarantineReason;
}

export interface JoinedServices<T extends NamedService> {
  /** Per visit (every visit asked for, possibly with none), its own center's services. */
  attached: Map<string, T[]>;
  quarantined: QuarantinedService[];
}

export function joinServicesToVisits<T extends NamedService>(visits: VisitPlace[], services: T[]): JoinedServices<T> {
  const places = new Map(visits.map((v) => [v.visitId, v.centerId]));
  const attached = new Map<string, T[]>(visits.map((v) => [v.visitId, []]));
  const quarantined: QuarantinedService[] = [];
  for (const service of services) {
    if (!service.visitId) continue;
    const visitCenterId = places.get(service.visitId);
    if (visitCenterId === undefined) continue; // not asked about, or not known yet: attached to nothing
    if (visitCenterId === service.centerId) {
      attached.get(service.visitId)!.push(service);
    } else {
      const { kind, serviceId, visitId, centerId, serviceDate } = service;
      quarantined.push({ kind, serviceId, visitId, centerId, serviceDate, visitCenterId, reason: 'VISIT_AT_OTHER_CENTER' });
    }
  }
  return { attached, quarantined };
}

/** Quarantined services counted per center they were used at, service date and kind: what operations see. */
export interface QuarantineCount {
  centerId: string;
  serviceDate: string;
  kind: ServiceKind;
  count: number;
}

export function countQuarantined(services: Array<Pick<QuarantinedService, 'centerId' | 'serviceDate' | 'kind'>>): QuarantineCount[] {
  const counts = new Map<string, QuarantineCount>();
  for (const s of services) {
    const key = `${s.centerId}|${s.serviceDate}|${s.kind}`;
    const entry = counts.get(key) ?? { centerId: s.centerId, serviceDate: s.serviceDate, kind: s.kind, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort(
    (a, b) => b.serviceDate.localeCompare(a.serviceDate) || a.centerId.localeCompare(b.centerId) || a.kind.localeCompare(b.kind),
  );
}

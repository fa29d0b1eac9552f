import { EventFacts } from './event-facts';
import { QuarantinedService, VisitPlace } from './service-join';

/** What the feeds say of a visit's services besides check-in. */
export interface VisitServices {
  membershipHelp: Array<{ caseType: string; outcome?: string; minutes?: number }>;
  telehealthWifiMinutes: number;
}

/** The services of a batch of visits: each visit's own, and those that named a visit of another center. */
export interface ServicesOfVisits {
  services: Map<string, VisitServices>;
  quarantined: QuarantinedService[];
}

/** Where help cases and Wi-Fi sessions are kept, as the attribution use cases need them. */
export abstract class ServiceUseRepositoryPort {
  /** Applies a batch of help-case facts, each event once. */
  abstract applyHelpCases(facts: EventFacts[]): Promise<void>;
  /** Applies a batch of Wi-Fi session facts, each event once. */
  abstract applyWifiSessions(facts: EventFacts[]): Promise<void>;
  /** The services of these visits, joined by visit id *and* center; the others quarantined. */
  abstract servicesOfVisits(visits: VisitPlace[]): Promise<ServicesOfVisits>;
  /** Keeps these services aside, each once; returns those newly kept aside. */
  abstract keepAside(services: QuarantinedService[]): Promise<QuarantinedService[]>;
}

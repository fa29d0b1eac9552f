import {
  ClosedHelpCaseStatus,
  HelpCaseOutcome,
  HelpCaseStatus,
  HelpCaseType,
  HelpRequestChannel,
  HelpRequestedV1,
  HelpResolutionOutcome,
  HelpResolvedV1,
  HelpStatusChangedV1,
  PartnerPlan,
  serviceDateOf,
  wholeMinutesBetween,
} from '@crc/contracts';
import { HelpCaseAction, InvalidCaseTransitionError, TooManyNotesError } from './help-case.errors';

/** Notes live inside the case document: bounded, so the document stays small. */
export const MAX_NOTES_PER_CASE = 50;

/** Free text for staff; may hold PHI, so it never leaves the service except to staff reading the case. */
export interface HelpCaseNote {
  noteId: string;
  note: string;
  addedAt: Date;
  addedBy: string;
}

/** A visitor's request for help with their plan, as the front desk works it. */
export interface HelpCase {
  caseId: string;
  centerId: string;
  visitId?: string;
  caseType: HelpCaseType;
  status: HelpCaseStatus;
  /** The date the case was opened in America/Los_Angeles; it stays the case's date until it closes. */
  serviceDate: string;
  requestedVia: HelpRequestChannel;
  openedAt: Date;
  assignee?: string;
  /** When staff first took it up: the start of the minutes spent. */
  startedAt?: Date;
  closedAt?: Date;
  outcome?: HelpCaseOutcome;
  escalatedTo?: PartnerPlan;
  notes: HelpCaseNote[];
}

/** What a change did: the case after it, and the events that announce it, in publishing order. */
export interface CaseChange {
  helpCase: HelpCase;
  statusChanged?: HelpStatusChangedV1;
  resolved?: HelpResolvedV1;
  addedNote?: HelpCaseNote;
}

/** Which statuses each action may start from. Closed cases take no action but notes. */
const ALLOWED_FROM: Record<HelpCaseAction, readonly HelpCaseStatus[]> = {
  assign: ['OPEN', 'IN_PROGRESS'],
  resolve: ['IN_PROGRESS'],
  escalate: ['IN_PROGRESS'],
  // A visitor may leave before anyone takes the case up.
  abandon: ['OPEN', 'IN_PROGRESS'],
};

export function canApply(status: HelpCaseStatus, action: HelpCaseAction): boolean {
  return ALLOWED_FROM[action].includes(status);
}

function assertAllowed(helpCase: HelpCase, action: HelpCaseAction): void {
  if (!canApply(helpCase.status, action)) throw new InvalidCaseTransitionError(helpCase.status, action, ALLOWED_FROM[action]);
}

export function isClosed(status: HelpCaseStatus): status is ClosedHelpCaseStatus {
  return status === 'RESOLVED' || status === 'ESCALATED' || status === 'ABANDONED';
}

/** Minutes of staff time: from when the case was taken up to when it closed; none if nobody took it up. */
export function minutesSpent(helpCase: Pick<HelpCase, 'startedAt' | 'closedAt'>): number {
  return helpCase.startedAt && helpCase.closedAt ? wholeMinutesBetween(helpCase.startedAt, helpCase.closedAt) : 0;
}

export function openCase(facts: { caseId: string; centerId: string; visitId?: string; caseType: HelpCaseType; requestedVia: HelpRequestChannel; at: Date }): {
  helpCase: HelpCase;
  event: HelpRequestedV1;
} {
  const helpCase: HelpCase = {
    caseId: facts.caseId,
    centerId: facts.centerId,
    ...(facts.visitId ? { visitId: facts.visitId } : {}),
    caseType: facts.caseType,
    status: 'OPEN',
    serviceDate: serviceDateOf(facts.at),
    requestedVia: facts.requestedVia,
    openedAt: facts.at,
    notes: [],
  };
  const event: HelpRequestedV1 = {
    caseId: helpCase.caseId,
    ...(helpCase.visitId ? { visitId: helpCase.visitId } : {}),
    centerId: helpCase.centerId,
    serviceDate: helpCase.serviceDate,
    caseType: helpCase.caseType,
    requestedVia: helpCase.requestedVia,
    occurredAt: facts.at.toISOString(),
    recordedAt: facts.at.toISOString(),
  };
  return { helpCase, event };
}

/** Takes a case up (OPEN -> IN_PROGRESS), or hands an IN_PROGRESS case to someone else (no status change, no event). */
export function assignCase(helpCase: HelpCase, assignee: string, at: Date): CaseChange {
  assertAllowed(helpCase, 'assign');
  if (helpCase.status === 'IN_PROGRESS') return { helpCase: { ...helpCase, assignee } };
  const next: HelpCase = { ...helpCase, status: 'IN_PROGRESS', assignee, startedAt: at };
  return { helpCase: next, statusChanged: statusChanged(helpCase, next, at) };
}

export function addNote(helpCase: HelpCase, note: HelpCaseNote): CaseChange {
  if (helpCase.notes.length >= MAX_NOTES_PER_CASE) throw new TooManyNotesError(MAX_NOTES_PER_CASE);
  return { helpCase: { ...helpCase, notes: [...helpCase.notes, note] }, addedNote: note };
}

export function resolveCase(helpCase: HelpCase, outcome: HelpResolutionOutcome, at: Date): CaseChange {
  assertAllowed(helpCase, 'resolve');
  return close(helpCase, { status: 'RESOLVED', outcome }, at);
}

export function escalateCase(helpCase: HelpCase, plan: PartnerPlan, at: Date): CaseChange {
  assertAllowed(helpCase, 'escalate');
  return close(helpCase, { status: 'ESCALATED', outcome: 'ESCALATED_TO_PLAN', escalatedTo: plan }, at);
}

export function abandonCase(helpCase: HelpCase, at: Date): CaseChange {
  assertAllowed(helpCase, 'abandon');
  return close(helpCase, { status: 'ABANDONED', outcome: 'ABANDONED' }, at);
}

/** A closing note travels with the closing change, in the same write. */
export function withNote(change: CaseChange, note: HelpCaseNote | undefined): CaseChange {
  if (!note) return change;
  const noted = addNote(change.helpCase, note);
  return { ...change, helpCase: noted.helpCase, addedNote: note };
}

function close(helpCase: HelpCase, result: { status: ClosedHelpCaseStatus; outcome: HelpCaseOutcome; escalatedTo?: PartnerPlan }, at: Date): CaseChange {
  // Never before the case was taken up, whatever the server clock did meanwhile.
  const closedAt = helpCase.startedAt && at < helpCase.startedAt ? helpCase.startedAt : at;
  const next: HelpCase = { ...helpCase, ...result, closedAt };
  const spent = minutesSpent(next);
  const resolved: HelpResolvedV1 = {
    caseId: next.caseId,
    ...(next.visitId ? { visitId: next.visitId } : {}),
    centerId: next.centerId,
    serviceDate: next.serviceDate,
    caseType: next.caseType,
    status: result.status,
    outcome: result.outcome,
    ...(result.escalatedTo ? { escalatedTo: result.escalatedTo } : {}),
    openedAt: next.openedAt.toISOString(),
    ...(next.startedAt ? { startedAt: next.startedAt.toISOString() } : {}),
    minutesSpent: spent,
    occurredAt: closedAt.toISOString(),
    recordedAt: at.toISOString(),
  };
  return { helpCase: next, statusChanged: statusChanged(helpCase, next, at), resolved };
}

function statusChanged(before: HelpCase, after: HelpCase, at: Date): HelpStatusChangedV1 {
  return {
    caseId: after.caseId,
    ...(after.visitId ? { visitId: after.visitId } : {}),
    centerId: after.centerId,
    serviceDate: after.serviceDate,
    caseType: after.caseType,
    fromStatus: before.status,
    toStatus: after.status,
    occurredAt: (after.closedAt ?? at).toISOString(),
    recordedAt: at.toISOString(),
  };
}

/** Seconds a case has waited since it was opened (for the queue). */
export function waitingSeconds(helpCase: Pick<HelpCase, 'openedAt'>, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - helpCase.openedAt.getTime()) / 1000));
}

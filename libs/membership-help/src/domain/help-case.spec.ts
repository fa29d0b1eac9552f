import { HELP_CASE_STATUSES, HelpCaseStatus } from '@crc/contracts';
import {
  abandonCase,
  addNote,
  assignCase,
  canApply,
  escalateCase,
  HelpCase,
  MAX_NOTES_PER_CASE,
  minutesSpent,
  openCase,
  resolveCase,
  waitingSeconds,
  withNote,
} from './help-case';

const at = (hhmmss: string) => new Date(`2026-11-28T${hhmmss}Z`);
const opened = () =>
  openCase({
    caseId: '9d1f7e3a-5b2c-4a8e-9f10-2b3c4d5e6f70',
    centerId: 'crc-el-monte',
    visitId: '0b6c8a52-3f0e-4d35-9a51-3c1a5b8f2e10',
    caseType: 'ENROLMENT_OR_RENEWAL',
    requestedVia: 'KIOSK',
    // 07:30 UTC is 23:30 the day before in Los Angeles.
    at: at('07:30:00'),
  });
const inProgress = (): HelpCase => assignCase(opened().helpCase, 'maria.g', at('07:40:00')).helpCase;
const withStatus = (status: HelpCaseStatus): HelpCase => ({ ...opened().helpCase, status });

describe('openCase', () => {
  it('opens the case in the queue, dated in Los Angeles, and announces it', () => {
    const { helpCase, event } = opened();
    expect(helpCase).toMatchObject({ status: 'OPEN', serviceDate: '2026-11-27', notes: [] });
    expect(event).toEqual({
      caseId: helpCase.caseId,
      visitId: helpCase.visitId,
      centerId: 'crc-el-monte',
      serviceDate: '2026-11-27',
      caseType: 'ENROLMENT_OR_RENEWAL',
      requestedVia: 'KIOSK',
      occurredAt: '2026-11-28T07:30:00.000Z',
      recordedAt: '2026-11-28T07:30:00.000Z',
    });
  });

  it('leaves the visit out for a walk-in', () => {
    const { helpCase, event } = openCase({ caseId: 'c', centerId: 'crc-pomona', caseType: 'OTHER', requestedVia: 'STAFF', at: at('18:00:00') });
    expect(helpCase).not.toHaveProperty('visitId');
    expect(event).not.toHaveProperty('visitId');
  });
});

describe('the state machine', () => {
  // Every action against every status: exactly the arrows OPEN -> IN_PROGRESS -> RESOLVED | ESCALATED | ABANDONED, and OPEN -> ABANDONED.
  const allowed: Record<string, HelpCaseStatus[]> = {
    assign: ['OPEN', 'IN_PROGRESS'],
    resolve: ['IN_PROGRESS'],
    escalate: ['IN_PROGRESS'],
    abandon: ['OPEN', 'IN_PROGRESS'],
  };
  const run: Record<string, (c: HelpCase) => unknown> = {
    assign: (c) => assignCase(c, 'x', at('08:00:00')),
    resolve: (c) => resolveCase(c, 'RESOLVED', at('08:00:00')),
    escalate: (c) => escalateCase(c, 'LA_CARE', at('08:00:00')),
    abandon: (c) => abandonCase(c, at('08:00:00')),
  };
  for (const action of Object.keys(allowed)) {
    for (const status of HELP_CASE_STATUSES) {
      const ok = allowed[action].includes(status);
      it(`${ok ? 'allows' : 'refuses'} ${action} on a ${status} case`, () => {
        expect(canApply(status, action as never)).toBe(ok);
        if (ok) expect(() => run[action](withStatus(status))).not.toThrow();
        else
          expect(() => run[action](withStatus(status))).toThrow(
            expect.objectContaining({ code: 'CASE.INVALID_TRANSITION', kind: 'CONFLICT', details: expect.objectContaining({ status, action }) }),
          );
      });
    }
  }

  it('refuses to resolve a resolved case', () => {
    const resolved = resolveCase(inProgress(), 'RESOLVED', at('08:00:00')).helpCase;
    expect(() => resolveCase(resolved, 'REFERRED', at('08:05:00'))).toThrow(expect.objectContaining({ code: 'CASE.INVALID_TRANSITION' }));
  });
});

describe('assignCase', () => {
  it('takes an open case up: the minutes start, and the status change is announced', () => {
    const change = assignCase(opened().helpCase, 'maria.g', at('07:40:00'));
    expect(change.helpCase).toMatchObject({ status: 'IN_PROGRESS', assignee: 'maria.g', startedAt: at('07:40:00') });
    expect(change.statusChanged).toMatchObject({ fromStatus: 'OPEN', toStatus: 'IN_PROGRESS', occurredAt: '2026-11-28T07:40:00.000Z' });
    expect(change.resolved).toBeUndefined();
  });

  it('hands an in-progress case on without restarting its minutes or announcing anything', () => {
    const change = assignCase(inProgress(), 'jose.r', at('07:50:00'));
    expect(change.helpCase).toMatchObject({ status: 'IN_PROGRESS', assignee: 'jose.r', startedAt: at('07:40:00') });
    expect(change.statusChanged).toBeUndefined();
  });
});

describe('closing a case', () => {
  it('resolves with the outcome and the minutes spent since it was taken up', () => {
    const change = resolveCase(inProgress(), 'SUBMITTED', at('08:05:29'));
    expect(change.helpCase).toMatchObject({ status: 'RESOLVED', outcome: 'SUBMITTED', closedAt: at('08:05:29') });
    expect(change.statusChanged).toMatchObject({ fromStatus: 'IN_PROGRESS', toStatus: 'RESOLVED' });
    expect(change.resolved).toEqual({
      caseId: change.helpCase.caseId,
      visitId: change.helpCase.visitId,
      centerId: 'crc-el-monte',
      serviceDate: '2026-11-27',
      caseType: 'ENROLMENT_OR_RENEWAL',
      status: 'RESOLVED',
      outcome: 'SUBMITTED',
      openedAt: '2026-11-28T07:30:00.000Z',
      startedAt: '2026-11-28T07:40:00.000Z',
      minutesSpent: 25,
      occurredAt: '2026-11-28T08:05:29.000Z',
      recordedAt: '2026-11-28T08:05:29.000Z',
    });
  });

  it("escalates to the member's plan", () => {
    const change = escalateCase(inProgress(), 'BLUE_SHIELD_PROMISE', at('08:10:00'));
    expect(change.helpCase).toMatchObject({ status: 'ESCALATED', outcome: 'ESCALATED_TO_PLAN', escalatedTo: 'BLUE_SHIELD_PROMISE' });
    expect(change.resolved).toMatchObject({ status: 'ESCALATED', outcome: 'ESCALATED_TO_PLAN', escalatedTo: 'BLUE_SHIELD_PROMISE', minutesSpent: 30 });
  });

  it('abandons a case nobody took up with no minutes, and one in progress with its minutes', () => {
    const unserved = abandonCase(opened().helpCase, at('08:30:00'));
    expect(unserved.statusChanged).toMatchObject({ fromStatus: 'OPEN', toStatus: 'ABANDONED' });
    expect(unserved.resolved).toMatchObject({ status: 'ABANDONED', outcome: 'ABANDONED', minutesSpent: 0 });
    expect(unserved.resolved).not.toHaveProperty('startedAt');
    expect(abandonCase(inProgress(), at('07:52:00')).resolved).toMatchObject({ minutesSpent: 12 });
  });

  it('never counts negative minutes when the server clock stepped back', () => {
    const change = resolveCase(inProgress(), 'RESOLVED', at('07:39:00'));
    expect(change.resolved).toMatchObject({ minutesSpent: 0, occurredAt: '2026-11-28T07:40:00.000Z' });
  });
});

describe('minutesSpent', () => {
  it.each([
    ['never taken up', undefined, '08:00:00', 0],
    ['29 seconds', '08:00:00', '08:00:29', 0],
    ['30 seconds (half rounds up)', '08:00:00', '08:00:30', 1],
    ['14 min 29 s', '08:00:00', '08:14:29', 14],
    ['14 min 30 s', '08:00:00', '08:14:30', 15],
    ['over two hours', '08:00:00', '10:05:10', 125],
  ])('%s', (_name, start, end, minutes) => {
    expect(minutesSpent({ startedAt: start ? at(start) : undefined, closedAt: at(end) })).toBe(minutes);
  });
});

describe('notes', () => {
  const note = (i: number) => ({ noteId: `n${i}`, note: `note ${i}`, addedAt: at('07:45:00'), addedBy: 'staff:crc-el-monte:0' });

  it('are added in any status, publish nothing, and are capped', () => {
    for (const status of HELP_CASE_STATUSES) {
      const change = addNote(withStatus(status), note(1));
      expect(change.helpCase.notes).toHaveLength(1);
      expect(change.statusChanged).toBeUndefined();
      expect(change.resolved).toBeUndefined();
    }
    const full = { ...inProgress(), notes: Array.from({ length: MAX_NOTES_PER_CASE }, (_, i) => note(i)) };
    expect(() => addNote(full, note(99))).toThrow(expect.objectContaining({ code: 'CASE.TOO_MANY_NOTES' }));
  });

  it('ride along with a closing change, and never reach its events', () => {
    const change = withNote(resolveCase(inProgress(), 'REFERRED', at('08:00:00')), note(7));
    expect(change.helpCase.notes.map((n) => n.note)).toEqual(['note 7']);
    expect(change.addedNote).toEqual(note(7));
    expect(JSON.stringify([change.statusChanged, change.resolved])).not.toContain('note 7');
  });
});

describe('waitingSeconds', () => {
  it('counts whole seconds since the case was opened', () => {
    expect(waitingSeconds(opened().helpCase, at('07:37:05.900'))).toBe(425);
    expect(waitingSeconds(opened().helpCase, at('07:29:00'))).toBe(0);
  });
});

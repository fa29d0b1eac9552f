/** Why a visitor asks the front desk for help with their plan. */
export const HELP_CASE_TYPES = [
  /** Enrolment in a plan or its renewal, including Medi-Cal annual redetermination. */
  'ENROLMENT_OR_RENEWAL',
  'ID_CARD_REPLACEMENT',
  /** Change of primary care provider. */
  'PCP_CHANGE',
  /** Address or phone number. */
  'CONTACT_UPDATE',
  'BENEFITS_QUESTION',
  /** A complaint taken down for the plan's grievance process. */
  'GRIEVANCE_INTAKE',
  'OTHER',
] as const;
export type HelpCaseType = (typeof HELP_CASE_TYPES)[number];

/** OPEN -> IN_PROGRESS -> RESOLVED | ESCALATED | ABANDONED (an OPEN case may also be abandoned). */
export const HELP_CASE_STATUSES = ['OPEN', 'IN_PROGRESS', 'RESOLVED', 'ESCALATED', 'ABANDONED'] as const;
export type HelpCaseStatus = (typeof HELP_CASE_STATUSES)[number];

export const CLOSED_HELP_CASE_STATUSES = ['RESOLVED', 'ESCALATED', 'ABANDONED'] as const;
export type ClosedHelpCaseStatus = (typeof CLOSED_HELP_CASE_STATUSES)[number];

/** What staff may record when they resolve a case themselves. */
export const HELP_RESOLUTION_OUTCOMES = [
  /** Done at the desk: the card is ordered, the address changed, the PCP changed. */
  'RESOLVED',
  /** An application or request was filed (e.g. a Medi-Cal renewal packet) and awaits the plan or the county. */
  'SUBMITTED',
  /** Sent to someone else who can help: the county, a legal-aid office, another program. */
  'REFERRED',
  /** A question answered; nothing to file. */
  'INFORMATION_PROVIDED',
] as const;
export type HelpResolutionOutcome = (typeof HELP_RESOLUTION_OUTCOMES)[number];

/** Every outcome a closed case can have: one of the resolutions, or how it otherwise closed. */
export const HELP_CASE_OUTCOMES = [...HELP_RESOLUTION_OUTCOMES, 'ESCALATED_TO_PLAN', 'ABANDONED'] as const;
export type HelpCaseOutcome = (typeof HELP_CASE_OUTCOMES)[number];

/** Who opened the case: the kiosk (the visitor asked there) or staff at the desk. */
export const HELP_REQUEST_CHANNELS = ['KIOSK', 'STAFF'] as const;
export type HelpRequestChannel = (typeof HELP_REQUEST_CHANNELS)[number];

/** Where a rule-2 conflict stands: WAITING for operations; RESOLVED by operations or by configured precedence; CLEARED when one side's coverage went. */
export const CONFLICT_STATUSES = ['WAITING', 'RESOLVED', 'CLEARED'] as const;
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number];

/** What every action on an existing case carries. */
export interface HelpCaseActionCommand {
  centerId: string;
  /** The staff credential acting: scopes its idempotency keys and signs its notes. */
  credentialId: string;
  caseId: string;
  /** Makes the action safe to retry (scoped to the credential). */
  idempotencyKey?: string;
}

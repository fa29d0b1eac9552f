/** Injection token of the TimePolicy (clock skew, look-back) the app configures. */
export const TIME_POLICY = Symbol('TIME_POLICY');

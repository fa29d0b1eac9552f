export * from './dev-credentials';
export * from './check-in.factory';
export * from './http-client';
export * from './eventually';
export * from './membership-help.factory';
export * from './telehealth.factory';
export * from './phi-scan';
export * from './disclosure-solver';

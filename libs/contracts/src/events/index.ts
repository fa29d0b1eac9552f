export * from './event-definition';
export * from './common.validators';
export * from './visit-checked-in/visit-checked-in.v1';
export * from './visit-checked-out/visit-checked-out.v1';
export * from './utilization-recorded/utilization-recorded.v1';

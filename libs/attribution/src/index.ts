export * from './domain/attribution-policy';
export * from './domain/attribution-rules';
export * from './domain/utilization-revision';
export * from './domain/feed-cursor';
export * from './attribution.module';
export * from './usecases/attribute-visit/attribute-visit.usecase';
export * from './usecases/record-visit-events/record-visit-events.usecase';
export * from './usecases/read-utilization-feed/read-utilization-feed.usecase';

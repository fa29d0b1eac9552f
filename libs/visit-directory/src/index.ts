export * from './domain/visit-center';
export * from './visit-directory.options';
export * from './visit-directory.module';
export * from './usecases/record-checked-in-visits/record-checked-in-visits.usecase';
export * from './usecases/ensure-visit-of-center/ensure-visit-of-center.usecase';
export * from './visit-directory.environment';
export * from './checked-in-visits.message.controller';

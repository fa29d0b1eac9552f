export * from './domain/visit';
export * from './domain/visit.errors';
export * from './check-in.module';
export * from './persistence/visit.repository';
export * from './usecases/check-in-visitor/check-in-visitor.command';
export * from './usecases/check-in-visitor/check-in-visitor.usecase';

export * from './domain/coverage';
export * from './domain/product-line-catalog';
export * from './domain/roster-lines';
export * from './persistence/coverage.repository';
export * from './usecases/upload-roster/upload-roster.command';
export * from './usecases/upload-roster/upload-roster.usecase';
export * from './eligibility.module';

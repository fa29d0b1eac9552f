/**
 * End-to-end tests: real Kafka and a real MongoDB-compatible store, started once by the global
 * setup (see libs/infra) and always stopped. Files run one at a time: they share the broker.
 */
module.exports = {
  displayName: 'e2e',
  rootDir: '..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: { '^@crc/(.*)$': '<rootDir>/libs/$1/src' },
  setupFiles: ['reflect-metadata'],
  reporters: ['default', ['<rootDir>/test/totals/totals-reporter.js', { tier: 'e2e' }]],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  maxWorkers: 1,
  testTimeout: 120_000,
  slowTestThreshold: 30,
};

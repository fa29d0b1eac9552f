/** Unit tests: pure logic beside the code, no infrastructure. */
module.exports = {
  displayName: 'unit',
  rootDir: '.',
  testEnvironment: 'node',
  // test/support: the end-to-end tests' own helpers that hold logic of their own (the OpenAPI response check);
  // bench: the benchmark's generators and verdicts.
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test/support', '<rootDir>/bench'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: { '^@crc/(.*)$': '<rootDir>/libs/$1/src' },
  setupFiles: ['reflect-metadata'],
  reporters: ['default', ['<rootDir>/test/totals/totals-reporter.js', { tier: 'unit' }]],
};

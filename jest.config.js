/** Unit tests: pure logic beside the code, no infrastructure. */
module.exports = {
  displayName: 'unit',
  rootDir: '.',
  testEnvironment: 'node',
  // test/support: the end-to-end tests' own helpers that hold logic of their own (the OpenAPI response check).
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test/support'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: { '^@crc/(.*)$': '<rootDir>/libs/$1/src' },
  setupFiles: ['reflect-metadata'],
  reporters: ['default', ['<rootDir>/test/totals/totals-reporter.js', { tier: 'unit' }]],
};

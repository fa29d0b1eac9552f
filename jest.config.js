/** Unit tests: pure logic beside the code, no infrastructure. */
module.exports = {
  displayName: 'unit',
  rootDir: '.',
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/bench'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: { '^@crc/(.*)$': '<rootDir>/libs/$1/src' },
  setupFiles: ['reflect-metadata'],
  reporters: ['default', ['<rootDir>/test/totals/totals-reporter.js', { tier: 'unit' }]],
};

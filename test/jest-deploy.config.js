/**
 * Deployment checks: the Dockerfile, docker-compose.yml and every Kubernetes manifest, validated
 * offline against the schemas of Compose, Kubernetes and Strimzi. The global setup prepares the
 * tools once (kustomize built with Go, Strimzi's CRDs generated from its Java model), cached in
 * ~/.cache/crc-network.
 */
module.exports = {
  displayName: 'deploy',
  rootDir: '..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/deploy'],
  testMatch: ['**/*.deploy-spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: { '^@crc/(.*)$': '<rootDir>/libs/$1/src' },
  setupFiles: ['reflect-metadata'],
  reporters: ['default', ['<rootDir>/test/totals/totals-reporter.js', { tier: 'deploy' }]],
  globalSetup: '<rootDir>/test/deploy/support/global-setup.ts',
  testTimeout: 60_000,
};

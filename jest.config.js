// Two projects: unit tests (pure, no I/O, run in parallel) and integration tests, which
// share one real Kafka broker, Redis and schema registry started by tests/setup and so run
// in band. Packages are imported from their TypeScript sources, not from dist/.
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};
const moduleNameMapper = { '^@alert-exchange/([a-z-]+)$': '<rootDir>/services/$1/src/index.ts' };
const common = {
  rootDir: __dirname,
  transform,
  moduleNameMapper,
  testEnvironment: 'node',
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.local/'],
};

/** @type {import('jest').Config} */
module.exports = {
  // Generous: the machine has two shared cores; tests never depend on timing beyond this.
  testTimeout: 120000,
  slowTestThreshold: 30,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/services/*/src/**/*.test.ts'],
      testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.int\\.test\\.ts$'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/services/*/src/**/*.int.test.ts', '<rootDir>/tests/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/setup/global-setup.ts',
      globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
    },
  ],
};

/** Tests talk to a real Temporal dev server and the real simulator over HTTP (see test/global-setup.ts). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The production tier runs on Temporal with PostgreSQL, under its own setup: jest.production.config.js.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/production/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // The Temporal native bridge keeps a handle open after teardown; this is the SDK's known remedy.
  forceExit: true,
};

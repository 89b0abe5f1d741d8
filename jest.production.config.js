/**
 * The production tier: the tests of test/production/ on the native production stack (Temporal on PostgreSQL,
 * the deploy scripts of deploy/temporal/) that test/production/global-setup.ts starts instead of the dev server.
 * One file at a time: each one loads the whole machine.
 */
const { projects, ...base } = require('./jest.config');

const integration = projects.find((project) => project.displayName === 'integration');

module.exports = {
  ...base,
  ...integration,
  displayName: 'production',
  roots: ['<rootDir>/test/production'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/production/global-setup.ts',
  globalTeardown: '<rootDir>/test/production/global-teardown.ts',
  maxWorkers: 1,
  testTimeout: 600_000,
};

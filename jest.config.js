/**
 * Three tiers. `unit` (test/unit/): pure logic, no Temporal, no simulator, no build: `npm run test:unit`.
 * `integration` (the rest of test/): a real Temporal dev server (started once for the run by
 * test/global-setup.ts, only when a test of this tier runs) and the real simulator over HTTP. `production`
 * (test/production/, jest.production.config.js): Temporal on PostgreSQL. `npm test` runs all three.
 */
const common = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
    // d3-geo (the coverage map) and its d3 dependencies ship only ES modules: compile them for the test runtime.
    '/node_modules/(d3-[^/]+|internmap)/.+\\.m?js$': [
      '@swc/jest',
      { jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(d3-[^/]+|internmap)/)'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/test/unit'] },
    {
      ...common,
      displayName: 'integration',
      roots: ['<rootDir>/test'],
      testPathIgnorePatterns: ['/test/unit/', '/test/production/'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
  testTimeout: 60_000,
  // Most integration files wait on timers and other processes: four at a time keep both cores of the CI machine
  // busy (three left them idle a tenth of the run), and each file works on queues of its own.
  maxWorkers: 4,
  // Longest files first, by a recorded run's durations where jest has none of its own (a fresh clone).
  testSequencer: '<rootDir>/test/support/known-durations-sequencer.js',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  // The Temporal native bridge keeps a handle open after teardown; this is the SDK's known remedy.
  forceExit: true,
};

/**
 * The allowed import directions (README "Layout"): dependencies point down, from the entry points through the CLI,
 * the worker runtime and the workflow client, to the activities and workflows, the API client, and the pure shared
 * modules at the bottom. The development tools (local/, simulator/) sit beside the product, never inside it; tests
 * (test/) and benchmarks (bench/) share their support through harness/ and import nothing of each other.
 * `npm run lint` checks it; test/architecture.test.ts too.
 */
const above = (...layers) => `^src/(${layers.join('|')})/`;

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'no import circles', from: {}, to: { circular: true } },
    {
      name: 'product-not-tools',
      severity: 'error',
      comment:
        'the product never imports the development tools (the starter loads local/ commands by name at run time)',
      from: { path: '^src/' },
      to: { path: '^(local|simulator)/' },
    },
    {
      name: 'simulator-alone',
      severity: 'error',
      comment: 'the simulator can disagree with the client only if it shares nothing with it',
      from: { path: '^simulator/' },
      to: { path: '^(src|local)/' },
    },
    {
      name: 'shared-is-the-ground',
      severity: 'error',
      comment: 'src/shared holds pure types and rules that every layer, workflow code included, may use',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    {
      name: 'client-over-shared-only',
      severity: 'error',
      from: { path: '^src/datacosmos/' },
      to: { path: '^src/', pathNot: '^src/(datacosmos|shared)/' },
    },
    {
      name: 'coverage-is-pure',
      severity: 'error',
      from: { path: '^src/coverage/' },
      to: { path: '^src/', pathNot: '^src/(coverage|shared)/' },
    },
    {
      name: 'page-store-low',
      severity: 'error',
      comment: 'stored pages sit under the activities and the workflow client, over the shared rules only',
      from: { path: '^src/page-store/' },
      to: { path: '^src/', pathNot: '^src/(page-store|shared)/' },
    },
    {
      name: 'workflows-sandboxed',
      severity: 'error',
      comment: 'workflow code is deterministic: it imports only shared modules (activity types are type-only)',
      from: { path: '^src/workflows/' },
      to: { path: '^src/', pathNot: '^src/(workflows|shared)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'config-low',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/(config|datacosmos|shared)/' },
    },
    {
      name: 'workflow-client-low',
      severity: 'error',
      from: { path: '^src/workflow-client/' },
      to: {
        path: above('cli', 'runtime', 'webhook', 'activities', 'config', 'datacosmos'),
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'activities-below-runtime',
      severity: 'error',
      from: { path: '^src/activities/' },
      to: { path: above('cli', 'runtime', 'webhook', 'workflow-client', 'config', 'workflows') },
    },
    {
      name: 'runtime-below-cli',
      severity: 'error',
      from: { path: '^src/runtime/' },
      to: { path: above('cli', 'webhook', 'workflow-client') },
    },
    {
      name: 'webhook-below-cli',
      severity: 'error',
      from: { path: '^src/webhook/' },
      to: { path: above('cli', 'runtime'), dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'nothing-imports-tests-or-benches',
      severity: 'error',
      comment: 'tests and benchmarks share their support through harness/ alone; the product and tools use neither',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
    {
      name: 'benches-apart',
      severity: 'error',
      from: { pathNot: '^bench/' },
      to: { path: '^bench/' },
    },
    {
      name: 'harness-for-tests-and-benches',
      severity: 'error',
      comment: 'the product and the development tools never import the test and benchmark harness',
      from: { path: '^(src|local|simulator)/' },
      to: { path: '^harness/' },
    },
    {
      name: 'entry-points-on-top',
      severity: 'error',
      comment: 'nothing imports the programs themselves',
      from: {},
      to: { path: '^src/(starter|worker)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};

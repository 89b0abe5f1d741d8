/**
 * The allowed import directions (README "Layout"): dependencies point down, from the entry points through the CLI,
 * the worker runtime and the workflow client, to the activities and workflows, the API client, and the pure shared
 * modules at the bottom. The development tools (local/, simulator/) sit beside the product, never inside it; tests
 * (test/) and benchmarks (bench/) share their support through harness/ and import nothing of each other.
 * `npm run lint` checks it; test/architecture.test.ts too.
 */
const ABOVE_WORKFLOW_CLIENT = ['cli', 'runtime', 'webhook', 'activities', 'config', 'datacosmos'];
const ABOVE_ACTIVITIES = ['cli', 'runtime', 'webhook', 'workflow-client', 'config', 'workflows'];

/** An import that fails lint: from the modules `from` matches to the modules `to` matches. */
const forbid = (name, from, to, comment) => ({ name, severity: 'error', ...(comment ? { comment } : {}), from, to });

/** Type-only imports (erased when compiled) are allowed where a layer's rule says so. */
const typeOnly = (allowed) => (allowed ? { dependencyTypesNot: ['type-only'] } : {});

/** A layer of src/ that imports nothing of src/ but itself and the layers named. */
const importsOnly = (name, layer, allowed, { comment, typeOnlyAllowed = false } = {}) =>
  forbid(
    name,
    { path: `^src/${layer}/` },
    { path: '^src/', pathNot: `^src/(${[layer, ...allowed].join('|')})/`, ...typeOnly(typeOnlyAllowed) },
    comment,
  );

/** A layer of src/ that imports none of the layers above it. */
const importsNoneOf = (name, layer, above, { typeOnlyAllowed = false } = {}) =>
  forbid(name, { path: `^src/${layer}/` }, { path: `^src/(${above.join('|')})/`, ...typeOnly(typeOnlyAllowed) });

module.exports = {
  forbidden: [
    forbid('no-circular', {}, { circular: true }, 'no import circles'),
    forbid(
      'product-not-tools',
      { path: '^src/' },
      { path: '^(local|simulator)/' },
      'the product never imports the development tools (the starter loads local/ commands by name at run time)',
    ),
    forbid(
      'simulator-alone',
      { path: '^simulator/' },
      { path: '^(src|local)/' },
      'the simulator can disagree with the client only if it shares nothing with it',
    ),
    importsOnly('shared-is-the-ground', 'shared', [], {
      comment: 'src/shared holds pure types and rules that every layer, workflow code included, may use',
    }),
    importsOnly('client-over-shared-only', 'datacosmos', ['shared']),
    importsOnly('coverage-is-pure', 'coverage', ['shared']),
    importsOnly('page-store-low', 'page-store', ['shared'], {
      comment: 'stored pages sit under the activities and the workflow client, over the shared rules only',
    }),
    importsOnly('workflows-sandboxed', 'workflows', ['shared'], {
      comment: 'workflow code is deterministic: it imports only shared modules (activity types are type-only)',
      typeOnlyAllowed: true,
    }),
    importsOnly('config-low', 'config', ['datacosmos', 'shared']),
    importsNoneOf('workflow-client-low', 'workflow-client', ABOVE_WORKFLOW_CLIENT, { typeOnlyAllowed: true }),
    importsNoneOf('activities-below-runtime', 'activities', ABOVE_ACTIVITIES),
    importsNoneOf('runtime-below-cli', 'runtime', ['cli', 'webhook', 'workflow-client']),
    importsNoneOf('webhook-below-cli', 'webhook', ['cli', 'runtime'], { typeOnlyAllowed: true }),
    forbid(
      'nothing-imports-tests-or-benches',
      { pathNot: '^test/' },
      { path: '^test/' },
      'tests and benchmarks share their support through harness/ alone; the product and tools use neither',
    ),
    forbid('benches-apart', { pathNot: '^bench/' }, { path: '^bench/' }),
    forbid(
      'harness-for-tests-and-benches',
      { path: '^(src|local|simulator)/' },
      { path: '^harness/' },
      'the product and the development tools never import the test and benchmark harness',
    ),
    forbid(
      'entry-points-on-top',
      {},
      { path: '^src/(starter|worker)\\.ts$' },
      'nothing imports the programs themselves',
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};

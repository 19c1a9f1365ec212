/**
 * The layer rules of DESIGN §2, checked on every test run: no cycles, and imports only point down the flow
 *   cli → testing → evaluation → orchestrator → policy → phase → agent → gate → provider, tools, worktree → report → budget → journal → leaves
 * The CLI reaches every layer through its public faces (index.ts files: src/<layer>/index.ts, and a heavy part's
 * own, like provider/adapters/index.ts; src/index.ts gathers them for library users) and the plain helpers in
 * util/, never a layer's inner files: what a command does, a program of one's own can do. (Not src/index.ts itself: loading the whole engine would triple the CLI's cold start.)
 * config sits beside the CLI (it only produces the resolved workflow); every layer may import the *types* of
 * that contract from src/config/types.ts, and the provider-kind table (plain data that imports nothing) from
 * src/config/provider-kinds.ts, and nothing else from config/.
 */
const layers = [
  ['cli'],
  // telemetry turns a run's events into OpenTelemetry spans; only the CLI wires it, and it reads only the leaves
  ['telemetry'],
  ['testing'],
  // evaluation runs whole workflows (orchestrator) in worktrees and measures them
  ['evaluation', 'pool'],
  ['orchestrator'],
  // policy replays the phase layer's own escalation decision over recorded outcomes
  ['policy'],
  ['phase'],
  ['agent'],
  ['gate'],
  // worktree runs git for fanned-out phases; like provider and tools it stands beside them, not below
  ['provider', 'tools', 'worktree'],
  // report reads the journal and re-prices recorded usage with the price table
  ['report'],
  ['budget'],
  ['journal'],
  ['config'],
  ['events', 'errors', 'util'],
];

const rank = (folder) => layers.findIndex((group) => group.includes(folder));
const folders = layers.flat();

/** For each folder, the folders above it: importing any of them is an upward import. */
const upward = folders
  .map((folder) => {
    const above = folders.filter((other) => rank(other) < rank(folder));
    return above.length === 0
      ? null
      : {
          name: `no-upward-import-from-${folder}`,
          comment: `${folder}/ may not import from layers above it (${above.join(', ')})`,
          severity: 'error',
          from: { path: `^src/${folder}/` },
          to: { path: `^src/(${above.join('|')})/` },
        };
  })
  .filter((rule) => rule !== null);

module.exports = {
  forbidden: [
    {
      name: 'provider-kinds-imports-nothing',
      comment: 'the provider-kind table is read by every layer, so it depends on none',
      severity: 'error',
      from: { path: '^src/config/provider-kinds\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'cli-uses-public-faces',
      comment:
        "the CLI imports a layer only through its index.ts (the public API, layer by layer) and util/'s helpers",
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/(?!cli/|index\\.ts$|[^/]+/index\\.ts$|[^/]+/[^/]+/index\\.ts$|util/)' },
    },
    {
      name: 'worktree-uses-leaves-only',
      comment: 'worktree/ runs git and nothing else: it imports only the leaves (errors, util, events)',
      severity: 'error',
      from: { path: '^src/worktree/' },
      to: { path: '^src/(?!worktree/|errors/|util/|events/)' },
    },
    {
      name: 'telemetry-uses-leaves-only',
      comment:
        'telemetry/ builds spans from events: it imports only the leaves (events, util, errors) and the configuration types',
      severity: 'error',
      from: { path: '^src/telemetry/' },
      to: { path: '^src/(?!telemetry/|errors/|util/|events/|config/types\\.ts$)' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    ...upward,
    {
      name: 'config-types-only',
      comment:
        'below the CLI, only the types of the resolved workflow and the provider-kind table may be imported from config/',
      severity: 'error',
      from: { path: '^src/(?!cli/|config/|index\\.ts)' },
      to: { path: '^src/config/(?!types\\.ts$|provider-kinds\\.ts$)' },
    },
    {
      name: 'config-types-are-type-only',
      comment: 'src/config/types.ts is imported for types only',
      severity: 'error',
      from: { path: '^src/(?!cli/|config/|index\\.ts)' },
      to: { path: '^src/config/types\\.ts$', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};

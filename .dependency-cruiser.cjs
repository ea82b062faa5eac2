// npm run lint:deps: the import rules of ../shared/docs/ARCHITECTURE.md that a tool can check.
// Type-only imports count too (tsPreCompilationDeps): a type is a dependency of the design.

// The layers, lowest first: a module imports only from its own folder and from layers before its own
// (README, "Layout"). Folders in one layer do not import each other. src/index.ts and src/internal.ts
// (the public entry and the tests' entry) stand above them all.
const LAYERS = [
  ['errors.ts', 'rng.ts', 'tensor'],
  ['text'],
  ['vocab', 'phrases'],
  ['vectors'],
  ['io', 'eval'],
  ['corpus'],
  ['engine'],
  ['train'],
  ['plot'],
  ['ui'],
  ['cli'],
];
const pathOf = (entry) => (entry.endsWith('.ts') ? `^src/${entry.replace('.', '[.]')}$` : `^src/${entry}/`);

const layerRules = LAYERS.flatMap((layer, i) =>
  layer.map((entry) => {
    const higher = LAYERS.slice(i + 1).flat();
    const siblings = layer.filter((e) => e !== entry);
    return {
      name: `layer-${entry.replace('.ts', '')}`,
      severity: 'error',
      comment:
        `src/${entry} is in layer ${i + 1}: it may import only from layers 1-${i}` +
        (siblings.length ? ` (not from ${siblings.join(', ')}, beside it)` : '') +
        ', or its own folder. Move the shared piece down.',
      from: { path: pathOf(entry) },
      to: { path: [...higher, ...siblings, 'index.ts', 'internal.ts'].map(pathOf) },
    };
  }),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circles: move the shared piece into the lower module, or a small new one.',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'internal-is-for-tests',
      severity: 'error',
      comment: 'src/internal.ts re-exports internals for the tests (above the CLI): nothing in src/ may import it.',
      from: { path: '^src/' },
      to: { path: '^src/internal[.]ts$' },
    },
    {
      name: 'no-orphan-folder',
      severity: 'error',
      comment: 'Every module lives in a layer of LAYERS above (or is src/index.ts / src/internal.ts): add a new folder there.',
      from: { pathNot: ['^src/index[.]ts$', '^src/internal[.]ts$', ...LAYERS.flat().map(pathOf)] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    exclude: { path: '^src/engine/wasm/assembly/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};

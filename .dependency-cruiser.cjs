// npm run lint:deps: the import rules of ../shared/docs/ARCHITECTURE.md that a tool can check.
// Type-only imports count too (tsPreCompilationDeps): a type is a dependency of the design.
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
    {
      name: 'library-not-cli',
      severity: 'error',
      comment: 'The library never imports the CLI or its terminal UI (colour, progress, widths): the CLI imports the library.',
      from: { path: '^src/', pathNot: ['^src/(cli|ui)/', '^src/internal[.]ts$'] },
      to: { path: '^src/(cli|ui)/' },
    },
    {
      name: 'internal-is-for-tests',
      severity: 'error',
      comment: 'src/internal.ts re-exports internals for the tests (above the CLI): nothing in src/ may import it.',
      from: { path: '^src/' },
      to: { path: '^src/internal[.]ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    exclude: { path: '^src/engine/assembly/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};

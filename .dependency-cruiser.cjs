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
      from: { path: '^src/', pathNot: '^src/(cli|ui)/' },
      to: { path: '^src/(cli|ui)/' },
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

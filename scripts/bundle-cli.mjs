// Bundles the CLI entry (src/cli/main.ts and everything it imports, commander, chalk and cli-progress
// included) into the one file dist/cli/main.js, over tsc's output of it. A cold query then loads one
// file instead of resolving and compiling some forty modules (bench/MEASUREMENTS.md, "Cold start").
// Command modules stay lazy: esbuild turns import() of a bundled module into a deferred initialiser.
// Only TensorFlow.js and native packages load from node_modules as before. The rest of dist/ (the
// library, the worker threads) is tsc's output, unchanged.
//
// A module that finds a file beside itself (new URL('./x', import.meta.url)) must still find it
// beside its own dist/ file, not beside the bundle: each import.meta.url is replaced by the URL that
// module has in dist/, computed from the bundle's own URL.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'cli', 'main.js');

const importMetaUrl = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[/\\]src[/\\].*\.ts$/ }, async (args) => {
      let text = await fs.promises.readFile(args.path, 'utf8');
      if (text.includes('import.meta.url')) {
        const dist = path.join(root, 'dist', path.relative(path.join(root, 'src'), args.path)).replace(/\.ts$/, '.js');
        const rel = path.relative(path.dirname(out), dist).split(path.sep).join('/');
        text = text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
      }
      return { contents: text, loader: 'ts' };
    });
  },
};

// commander requires node:child_process (and with it net, dgram and streams) when it loads, for
// executable subcommands that embed does not have: a cold query would pay for it at every start.
// Within commander it resolves to a stand-in that loads the real module on first use.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[/\\]node_modules[/\\]commander[/\\]/.test(args.importer) ? { path: 'lazy-child-process', namespace: 'lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

// Chunks of an earlier build would linger beside the new ones.
for (const f of fs.readdirSync(path.dirname(out))) if (/^chunk-.*\.js$/.test(f)) fs.rmSync(path.join(path.dirname(out), f));

await build({
  entryPoints: [path.join(root, 'src', 'cli', 'main.ts')],
  outdir: path.dirname(out),
  // Each command's modules in chunks of their own, loaded by its import(): a query compiles only its part.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@tensorflow/*', '@node-rs/*'],
  // Bundled CommonJS (commander, cli-progress) requires Node's own modules.
  banner: { js: "import { createRequire as __embedRequire } from 'node:module';\nconst require = __embedRequire(import.meta.url);" },
  plugins: [importMetaUrl, lazyChildProcess],
  logLevel: 'warning',
});
fs.chmodSync(out, 0o755);

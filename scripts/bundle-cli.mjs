// Bundles the CLI (src/cli/main.ts and everything it imports, commander, chalk and cli-progress
// included) into one CommonJS file, dist/cli/main.cjs, and makes V8's code cache for it
// (dist/cli/main.cjs.cache) by running a query on a small model through the launcher, dist/cli/embed.cjs
// (src/cli/embed.cts), which is the `embed` command. A cold query then reads one file and compiles
// almost nothing (bench/MEASUREMENTS.md, "Cold start"). Command modules stay lazy: esbuild turns
// import() of a bundled module into a deferred initialiser. TensorFlow.js and native packages load from
// node_modules as before. The rest of dist/ (the library, the worker threads, and tsc's unbundled
// dist/cli/main.js) is tsc's output, unchanged.
//
// A module that finds a file beside itself (new URL('./x', import.meta.url)) must still find it
// beside its own dist/ file, not beside the bundle: each import.meta.url is replaced by the URL that
// module has in dist/, computed from the bundle's own URL.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cliDir = path.join(root, 'dist', 'cli');
const out = path.join(cliDir, 'main.cjs');
const cache = `${out}.cache`;
const launcher = path.join(cliDir, 'embed.cjs');

const importMetaUrl = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[/\\]src[/\\].*\.ts$/ }, async (args) => {
      let text = await fs.promises.readFile(args.path, 'utf8');
      if (text.includes('import.meta.url')) {
        const dist = path.join(root, 'dist', path.relative(path.join(root, 'src'), args.path)).replace(/\.ts$/, '.js');
        const rel = path.relative(cliDir, dist).split(path.sep).join('/');
        text = text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, __embedBundleUrl).href`);
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

// Every module of ours that imports a Node module (42 import node:fs) would get its own copy of that
// module's exports from esbuild's CommonJS interop: about 3 ms of each cold query. Each Node module is
// instead imported through one shared ES module that re-exports it, so it is copied once.
const sharedNodeModules = {
  name: 'shared-node-modules',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) =>
      args.namespace === 'file' && /[/\\]src[/\\]/.test(args.importer) ? { path: args.path, namespace: 'shared-node' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'shared-node' }, (args) => ({
      contents: `export * from '${args.path}'; import m from '${args.path}'; export default m;`,
      loader: 'js',
    }));
  },
};

// What earlier builds left: the split ES module bundle's chunks, a cache made for another bundle.
for (const f of fs.readdirSync(cliDir)) if (/^chunk-.*\.js$/.test(f)) fs.rmSync(path.join(cliDir, f));
fs.rmSync(cache, { force: true });

await build({
  entryPoints: [path.join(root, 'src', 'cli', 'main.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Half the bytes to read at each start; names are kept (an error's stack still reads).
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['@tensorflow/*', '@node-rs/*'],
  // import() of a package becomes require(): in a script run with a code cache, Node 20 loses the
  // launcher's dynamic-import callback ("A dynamic import callback was not specified").
  supported: { 'dynamic-import': false },
  banner: { js: "const __embedBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [importMetaUrl, lazyChildProcess, sharedNodeModules],
  logLevel: 'warning',
});

// The launcher reads the bundle as latin1 (a one-byte string, no decoding): esbuild escapes non-ASCII
// characters in strings, but not in regular expressions or String.raw templates, so src/ writes those as \u escapes.
const text = fs.readFileSync(out, 'utf8');
const nonAscii = text.search(/[^\x00-\x7f]/);
if (nonAscii >= 0) {
  throw new Error(
    `dist/cli/main.cjs has a non-ASCII character near «${text.slice(Math.max(0, nonAscii - 60), nonAscii + 20)}»: write it as a \\u escape in src/`,
  );
}

if (/[^\w$.]import\(/.test(text)) throw new Error('dist/cli/main.cjs calls import(), which fails when run with a code cache on Node 20');

// The code cache holds what a run compiled: make it with the query a cold start is measured on.
const { KeyedVectors, saveNative } = await import(path.join(root, 'dist', 'index.js'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embed-code-cache-'));
try {
  const words = Array.from({ length: 200 }, (_, i) => `w${i}`);
  const dim = 16;
  const vectors = Float32Array.from({ length: words.length * dim }, (_, i) => Math.sin(i * 12.9898) % 1);
  saveNative(
    path.join(tmp, 'm'),
    new KeyedVectors(
      words,
      vectors,
      dim,
      Float64Array.from(words, (_, i) => 1000 - i),
    ),
  );
  const r = spawnSync(process.execPath, [launcher, 'similar', 'w1', '-m', path.join(tmp, 'm')], {
    env: { ...process.env, EMBED_WRITE_CODE_CACHE: cache },
    encoding: 'utf8',
  });
  if (r.status !== 0 || !fs.existsSync(cache)) throw new Error(`making the CLI's code cache failed (exit ${r.status}): ${r.stderr}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
fs.chmodSync(launcher, 0o755);

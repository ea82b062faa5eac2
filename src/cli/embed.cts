#!/usr/bin/env node
// The `embed` command. It runs the CLI bundle (main.cjs beside it: src/cli/main.ts and everything it
// imports, built by scripts/bundle-cli.mjs) through V8's code cache (main.cjs.cache, made at build time
// by a query on a small model), so a cold query neither parses nor compiles the code it runs
// (bench/MEASUREMENTS.md, "Cold start"). This file is CommonJS because a CommonJS entry starts faster
// than an ES module one. A cache that this Node rejects (another Node version, other V8 flags) or that
// is missing costs only that time: the bundle is compiled as usual.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { createRequire, wrap } from 'node:module';

const bundle = join(__dirname, 'main.cjs');
const cacheFile = `${bundle}.cache`;
/** Set by the build: write the code cache there when this run ends (it then holds what the run compiled). */
const writeCacheTo = process.env.EMBED_WRITE_CODE_CACHE;

let cachedData: Buffer | undefined;
if (!writeCacheTo) {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache: compile as usual.
  }
}
// The bundle is ASCII (the build checks it), so latin1 reads it as the one-byte string V8 wants, with no decoding.
const source = readFileSync(bundle, 'latin1');
const script = new Script(wrap(source), {
  filename: bundle,
  cachedData,
});
if (writeCacheTo) {
  process.once('exit', () => {
    const tmp = `${writeCacheTo}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, writeCacheTo);
  });
}
const bundleModule = { exports: {} };
const run = script.runInThisContext() as (
  exports: unknown,
  require: NodeRequire,
  module: unknown,
  filename: string,
  dirname: string,
) => void;
run(bundleModule.exports, createRequire(bundle), bundleModule, bundle, __dirname);

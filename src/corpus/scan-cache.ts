// A cache of pass-1 output (the tokenised corpus as text), so a second `embed train` on the same
// Chinese corpus with other training options does not segment it again.
//
// Layout under <modelsDir>/.cache/: <key>.tokens (the token text) and <key>.json (what it is).
// The key hashes the corpus path, size and mtime, the requested tokenizer, lowercasing, the encoding, the
// segmenter and its version, and the format version: any change makes a new entry. An entry is
// valid only if its .json parses, matches the key and the .tokens size matches; anything else is
// ignored and rebuilt. Writes are atomic (temp file + rename), the .json last. At most MAX_ENTRIES
// entries are kept (least recently used go first).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { ConcreteTokenizer, TokenizerMode } from '../text/tokenize.js';
import { chineseSegmenterId } from '../text/chinese.js';
import { tempName } from '../io/atomic.js';
import { isStdin } from '../text/corpus.js';

const FORMAT = 1;
const MAX_ENTRIES = 4;

export interface CacheEntry {
  key: string;
  tokenizer: ConcreteTokenizer;
  segmenter: string;
  tokens: number;
  bytes: number;
  created: string;
}

export interface CacheSlot {
  dir: string;
  name: string;
  key: string;
}

/** The cache slot for a corpus and config, or null when the corpus cannot be cached (stdin, unreadable). */
export function cacheSlot(
  cacheDir: string,
  corpus: string,
  cfg: { tokenizer: TokenizerMode; lowercase: boolean; encoding: string },
): CacheSlot | null {
  if (isStdin(corpus)) return null;
  let st: fs.Stats;
  try {
    st = fs.statSync(corpus);
  } catch {
    return null;
  }
  if (!st.isFile()) return null;
  const key = JSON.stringify({
    format: FORMAT,
    corpus: path.resolve(corpus),
    size: st.size,
    mtimeMs: st.mtimeMs,
    tokenizer: cfg.tokenizer,
    lowercase: cfg.lowercase,
    encoding: cfg.encoding,
    segmenter: chineseSegmenterId(),
  });
  const name = crypto.createHash('sha256').update(key).digest('hex').slice(0, 24);
  return { dir: cacheDir, name, key };
}

function paths(slot: CacheSlot): { meta: string; tokens: string } {
  return { meta: path.join(slot.dir, slot.name + '.json'), tokens: path.join(slot.dir, slot.name + '.tokens') };
}

/** Links (or copies, across file systems) a file to a new path. */
function linkOrCopy(from: string, to: string): void {
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}

/**
 * Looks the slot up; on a valid entry, links its token text to `target` (so a concurrent eviction
 * cannot pull it away mid-training) and returns the entry. Returns null on a miss or a bad entry.
 */
export function cacheLookup(slot: CacheSlot, target: string): CacheEntry | null {
  const p = paths(slot);
  try {
    const meta = JSON.parse(fs.readFileSync(p.meta, 'utf8')) as CacheEntry;
    if (meta.key !== slot.key || fs.statSync(p.tokens).size !== meta.bytes) return null;
    linkOrCopy(p.tokens, target);
    const now = new Date();
    fs.utimesSync(p.meta, now, now); // recently used
    return meta;
  } catch {
    return null;
  }
}

/** Stores `tokensPath` (left in place) as the slot's entry. Failures are swallowed: the cache is an optimisation. */
export function cacheStore(slot: CacheSlot, tokensPath: string, entry: Omit<CacheEntry, 'key' | 'bytes' | 'created'>): boolean {
  const p = paths(slot);
  const tmpTokens = tempName(p.tokens);
  const tmpMeta = tempName(p.meta);
  try {
    fs.mkdirSync(slot.dir, { recursive: true });
    linkOrCopy(tokensPath, tmpTokens);
    const full: CacheEntry = { ...entry, key: slot.key, bytes: fs.statSync(tmpTokens).size, created: new Date().toISOString() };
    fs.renameSync(tmpTokens, p.tokens);
    fs.writeFileSync(tmpMeta, JSON.stringify(full, null, 1) + '\n');
    fs.renameSync(tmpMeta, p.meta);
    evict(slot.dir, MAX_ENTRIES);
    return true;
  } catch {
    fs.rmSync(tmpTokens, { force: true });
    fs.rmSync(tmpMeta, { force: true });
    return false;
  }
}

/** Keeps the `keep` most recently used entries; removes the rest, orphaned token files and old temp files. */
function evict(dir: string, keep: number): void {
  const files = fs.readdirSync(dir);
  const metas = files
    .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
    .map((f) => ({ name: f.slice(0, -5), mtime: fs.statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  const live = new Set(metas.slice(0, keep).map((m) => m.name));
  const dayAgo = Date.now() - 86_400_000;
  for (const f of files) {
    const full = path.join(dir, f);
    try {
      if (f.startsWith('.')) {
        // a temp file left by a killed run
        if (f.endsWith('.tmp') && fs.statSync(full).mtimeMs < dayAgo) fs.rmSync(full, { force: true });
        continue;
      }
      const base = f.replace(/\.(json|tokens)$/, '');
      if (base === f || live.has(base)) continue;
      // A .tokens file whose .json is missing may be one another run is just storing: leave it a day.
      const orphan = f.endsWith('.tokens') && !files.includes(base + '.json');
      if (!orphan || fs.statSync(full).mtimeMs < dayAgo) fs.rmSync(full, { force: true });
    } catch {
      // another process got there first
    }
  }
}

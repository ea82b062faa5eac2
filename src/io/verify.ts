// `embed verify`: reads every file of a model and says, file by file, whether it is whole. Loading
// checks only sizes (free); this also checks every byte against the checksums in meta.json and the
// structure (vocab.tsv's lines, vectors.f32's values), which older models without checksums get too.
import fs from 'node:fs';
import path from 'node:path';
import { EmbedError, quote } from '../errors.js';
import { firstNonFinite, metaProblem, MODEL_FILES, type ModelMeta } from './native.js';
import { hashFile, metaSealProblem, type FileRecord } from './file-records.js';
import { loadModelFile } from './load.js';

export interface FileCheck {
  file: string;
  ok: boolean;
  /** 'ok', 'damaged: why', or 'not checked: why' — the line `embed verify` prints for the file. */
  status: string;
  bytes?: number;
  sha256?: string;
}

export interface VerifyReport {
  path: string;
  /** 'embed', or the vector file format (word2vec-text, word2vec-text-noheader, word2vec-bin). */
  format: string;
  /** The native format version; null for vector files and an unreadable meta.json. */
  version: number | null;
  /** Whether the model records checksums (native format version >= 2). */
  checksums: boolean;
  ok: boolean;
  files: FileCheck[];
}

/** Checks a file's content as it streams past; returns why it is malformed, or null. */
interface StructureCheck {
  block(b: Uint8Array, offset: number): void;
  end(): string | null;
}

/** vocab.tsv: valid UTF-8, vocabSize lines, each "word<TAB>count" with a whole-number count. */
function vocabCheck(vocabSize: number): StructureCheck {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let lines = 0;
  let lineBytes = 0;
  let tab = false; // seen a tab on this line: what follows the last one is the count
  let digits = 0;
  let other = false;
  let problem: string | null = null;
  return {
    block(b) {
      if (problem) return;
      try {
        utf8.decode(b, { stream: true });
      } catch {
        problem = 'it is not valid UTF-8';
        return;
      }
      for (let i = 0; i < b.length && !problem; i++) {
        const c = b[i];
        if (c === 0x0a) {
          if (!tab) problem = `line ${lines + 1} has no tab before its count`;
          else if (digits === 0 || other) problem = `line ${lines + 1} has a count that is not a whole number`;
          lines++;
          lineBytes = digits = 0;
          tab = other = false;
        } else {
          lineBytes++;
          if (c === 0x09) {
            tab = true;
            digits = 0;
            other = false;
          } else if (tab) {
            if (c >= 0x30 && c <= 0x39) digits++;
            else other = true;
          }
        }
      }
    },
    end() {
      if (problem) return problem;
      try {
        utf8.decode();
      } catch {
        return 'it ends inside a UTF-8 character';
      }
      if (lineBytes > 0) return 'its last line has no newline';
      return lines === vocabSize ? null : `it has ${lines} lines, meta.json says ${vocabSize} words`;
    },
  };
}

/** vectors.f32: no NaN or infinite value (the check every query makes on the rows it reads). */
function vectorsCheck(dim: number): StructureCheck {
  let problem: string | null = null;
  return {
    block(b, offset) {
      if (problem) return;
      // Blocks are whole float32 values (hashFile fills each block, and the size was checked first).
      const values = new Float32Array(b.buffer, b.byteOffset, b.length >> 2);
      const i = firstNonFinite(values, values.length);
      if (i >= 0) problem = `row ${Math.floor((offset / 4 + i) / dim) + 1} holds NaN or infinite values`;
    },
    end: () => problem,
  };
}

/** Reads one file of a model through its record (if any) and structure check. */
function checkFile(
  dir: string,
  file: string,
  record: FileRecord | undefined,
  expectedBytes: number | null,
  structure?: StructureCheck,
): FileCheck {
  const damaged = (why: string, extra: Partial<FileCheck> = {}): FileCheck => ({ file, ok: false, status: `damaged: ${why}`, ...extra });
  let fd: number;
  try {
    fd = fs.openSync(path.join(dir, file), 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return damaged(code === 'ENOENT' ? 'missing' : `cannot be read (${code ?? (e as Error).message})`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return damaged('not a regular file');
    if (record && st.size !== record.bytes) return damaged(`${st.size} bytes, meta.json records ${record.bytes}`, { bytes: st.size });
    if (expectedBytes !== null && st.size !== expectedBytes)
      return damaged(`${st.size} bytes, meta.json's vocabSize × dim needs ${expectedBytes}`, { bytes: st.size });
    const got = hashFile(fd, structure && ((b, offset) => structure.block(b, offset)));
    if (record && got.sha256 !== record.sha256) return damaged('its SHA-256 differs from the one meta.json records', got);
    const why = structure?.end();
    if (why) return damaged(why, got);
    return { file, ok: true, status: record ? 'ok' : 'ok: structure checked, no checksum (older format)', ...got };
  } finally {
    fs.closeSync(fd);
  }
}

function verifyNativeDir(dir: string): VerifyReport {
  const report = (version: number | null, files: FileCheck[]): VerifyReport => ({
    path: dir,
    format: 'embed',
    version,
    checksums: version !== null && version >= 2,
    ok: files.every((f) => f.ok),
    files,
  });
  const unchecked = (why: string) => MODEL_FILES.map((file) => ({ file, ok: false, status: `not checked: ${why}` }));
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path.join(dir, 'meta.json'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EISDIR' ? 'not a regular file' : `cannot be read (${code ?? (e as Error).message})`;
    return report(null, [{ file: 'meta.json', ok: false, status: `damaged: ${why}` }, ...unchecked('meta.json is damaged')]);
  }
  let meta: ModelMeta;
  try {
    meta = JSON.parse(bytes.toString('utf8'));
  } catch {
    return report(null, [{ file: 'meta.json', ok: false, status: 'damaged: not JSON' }, ...unchecked('meta.json is damaged')]);
  }
  // Versions 1 and 2 describe their files the same way; a newer one throws (upgrade embed).
  const problem = metaProblem(meta, dir);
  if (problem)
    return report(null, [
      { file: 'meta.json', ok: false, status: `damaged: ${problem.replace(/^meta\.json /, 'it ')}` },
      ...unchecked('meta.json is damaged'),
    ]);
  const checksums = meta.version >= 2;
  // A meta.json that is usable but not as written still has its records checked against the files:
  // whether the data is whole is worth knowing.
  const sealProblem = checksums ? metaSealProblem(bytes) : null;
  const metaCheck: FileCheck = {
    file: 'meta.json',
    ok: !sealProblem,
    status: sealProblem ? `damaged: ${sealProblem}` : checksums ? 'ok' : `ok: format version ${meta.version}, no checksums (older format)`,
    bytes: bytes.length,
  };
  // Every file a record names, the standard ones first; a version 1 model has just the standard ones.
  const names = [...new Set([...MODEL_FILES, ...Object.keys(meta.files ?? {})])];
  const files = names.map((name) => {
    const record = meta.files?.[name];
    if (name === 'vocab.tsv') return checkFile(dir, name, record, null, vocabCheck(meta.vocabSize));
    if (name === 'vectors.f32') return checkFile(dir, name, record, meta.vocabSize * meta.dim * 4, vectorsCheck(meta.dim));
    return checkFile(dir, name, record, null);
  });
  return report(meta.version, [metaCheck, ...files]);
}

/**
 * Verifies a model: an embed model directory file by file (sizes and checksums against meta.json, and
 * structure), or a word2vec / fastText vector file, which carries no checksum, by parsing it in full.
 * Damage is reported, not thrown; a path that is no model at all, or a newer format, throws.
 */
export function verifyModel(p: string): VerifyReport {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    throw new EmbedError(`model ${quote(p)} does not exist: check the path`);
  }
  if (st.isDirectory()) {
    if (!fs.existsSync(path.join(p, 'meta.json'))) throw new EmbedError(`${quote(p)} is not an embed model (it has no meta.json)`);
    return verifyNativeDir(p);
  }
  // A vector file has no checksum: the best check is to read every row, as a query would.
  const file = path.basename(p);
  try {
    const { kv, format, warnings } = loadModelFile(p);
    const warned = warnings.length ? `; ${warnings.length} warning(s): ${warnings[0]}` : '';
    const status = `ok: all ${kv.size} words × ${kv.dim} dims parsed, no checksum (vector files have none)${warned}`;
    return { path: p, format, version: null, checksums: false, ok: true, files: [{ file, ok: true, status, bytes: st.size }] };
  } catch (e) {
    if (!(e instanceof EmbedError)) throw e;
    return {
      path: p,
      format: 'unknown',
      version: null,
      checksums: false,
      ok: false,
      files: [{ file, ok: false, status: `damaged: ${e.message}` }],
    };
  }
}

/** Verifies the model written to `dir` (a version directory) and throws if it is not whole: what import runs. */
export function assertModelWhole(dir: string, target: string): void {
  const report = verifyModel(dir);
  const bad = report.files.find((f) => !f.ok);
  if (bad)
    throw new EmbedError(
      `the model written for ${quote(target)} did not verify (${bad.file}: ${bad.status}): nothing was replaced; check the disk and try again`,
    );
}

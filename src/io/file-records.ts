// What meta.json records about each file of a native model (format version 2): its byte size and
// SHA-256. Sizes are checked at every load (one fstat each, free); checksums by `embed verify`, which
// reads everything.
//
// Why SHA-256: node:crypto has it in every Node >= 20 without a dependency (zlib.crc32 arrived only in
// Node 20.15, and package.json promises >= 20); it runs at 0.7–2 GB/s (SHA-NI), about the speed of
// reading the file from disk, so it costs little more than the read verify does anyway; it catches any
// change, not only the burst errors a CRC is designed for; and anyone can check a file by hand with
// `sha256sum`.
import fs from 'node:fs';
import { createRequire } from 'node:module';

// node:crypto and the ~20 modules it pulls in cost a cold query a few milliseconds; only writing and
// verifying hash, so it is loaded on first use (bench/MEASUREMENTS.md, "Cold start").
const newHash = (): import('node:crypto').Hash =>
  (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).createHash('sha256');

export interface FileRecord {
  bytes: number;
  sha256: string;
}

/** Bytes read or hashed at a time: big enough for full disk speed, small enough to never matter. */
const BLOCK = 8 << 20;

/** Writes all of `data` to a new file, hashing it block by block as it goes, and flushes it to disk. */
export function writeRecorded(file: string, data: string | Uint8Array): FileRecord {
  const b = typeof data === 'string' ? Buffer.from(data) : data;
  const hash = newHash();
  const fd = fs.openSync(file, 'wx');
  try {
    // Views of `data`, never copies: a multi-GB vectors.f32 is hashed in place as it is written.
    for (let off = 0; off < b.length;) {
      const block = b.subarray(off, Math.min(b.length, off + BLOCK));
      for (let done = 0; done < block.length;) done += fs.writeSync(fd, block, done);
      hash.update(block);
      off += block.length;
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return { bytes: b.length, sha256: hash.digest('hex') };
}

/**
 * Reads a whole open file through one reused block and returns its record; `onBlock` sees each block
 * (filled completely but for the last, so a block holds whole float32 values) for structure checks.
 */
export function hashFile(fd: number, onBlock?: (block: Uint8Array, offset: number) => void): FileRecord {
  const hash = newHash();
  const block = new Uint8Array(BLOCK); // not from Buffer's pool: offset 0, so float32 views line up
  let offset = 0;
  for (;;) {
    let n = 0;
    while (n < BLOCK) {
      const got = fs.readSync(fd, block, n, BLOCK - n, offset + n);
      if (got === 0) break;
      n += got;
    }
    if (n === 0) break;
    const filled = block.subarray(0, n);
    hash.update(filled);
    onBlock?.(filled, offset);
    offset += n;
    if (n < BLOCK) break;
  }
  return { bytes: offset, sha256: hash.digest('hex') };
}

// meta.json cannot hold its own checksum in the usual way, so its last field carries the SHA-256 of
// meta.json's own bytes as written with that field empty ("metaSha256": ""). Any changed byte, in the
// field too, makes the check fail; meta.json stays plain JSON.
const SEAL_FIELD = 'metaSha256';
const SEALED_TAIL = new RegExp(`"${SEAL_FIELD}": "([0-9a-f]{64})"(\\s*\\}\\s*)$`);
const sha256 = (b: Uint8Array) => newHash().update(b).digest('hex');

/** meta.json's text for `meta`, ending with its own checksum. */
export function sealedMetaText(meta: Record<string, unknown>): string {
  const { [SEAL_FIELD]: _old, ...rest } = meta;
  const blank = JSON.stringify({ ...rest, [SEAL_FIELD]: '' }, null, 2) + '\n';
  const at = blank.lastIndexOf(`"${SEAL_FIELD}": ""`) + `"${SEAL_FIELD}": "`.length;
  return blank.slice(0, at) + sha256(Buffer.from(blank)) + blank.slice(at);
}

/** Why meta.json's bytes do not match their own checksum, or null when they do. */
export function metaSealProblem(bytes: Buffer): string | null {
  const text = bytes.toString('latin1'); // one character per byte: what we hash is exactly what was read
  const m = SEALED_TAIL.exec(text);
  if (!m) return `its last field is not a "${SEAL_FIELD}" checksum`;
  const blank = text.slice(0, m.index) + `"${SEAL_FIELD}": ""` + m[2];
  return sha256(Buffer.from(blank, 'latin1')) === m[1] ? null : 'its content does not match its checksum';
}

// Rows that stay on disk until needed. A one-off query on a big native model (1M × 300 = 1.2 GB) reads
// the few rows it looks up with positioned reads and streams the rest through one small buffer for the
// similarity scan, instead of first materialising the whole matrix (allocating and faulting in 1.2 GB
// costs more than the scan itself). Anything that needs the whole matrix loads it once, on demand.
import fs from 'node:fs';
import { EmbedError } from '../errors.js';
import type { QuantizedRows } from './prefilter.js';

export interface RowSource {
  readonly rows: number;
  readonly dim: number;
  /** Copies row i into out. */
  readRow(i: number, out: Float32Array): void;
  /**
   * Copies rows [first, first + count) into out, as they are on disk: the caller checks what it uses
   * with checkRow (the similarity scan sees a bad value as a score that is not finite).
   */
  readRows(first: number, count: number, out: Float32Array): void;
  /** Throws if row i (its values given) holds a value the source refuses (NaN, infinity); else returns. */
  checkRow(i: number, values: Float32Array): void;
  /** The whole matrix. */
  loadAll(): Float32Array;
  /**
   * Copies the L2 norms of rows [first, first + count) into out, where the source has them ready (a
   * native model's norms.f64), as the scan computes them: sqrt of the four sums by d mod 4, in float64
   * (assembly/scan.ts, dotsNorms). Absent otherwise.
   */
  readNorms?(first: number, count: number, out: Float64Array): void;
  /** The int8 copy of the rows that narrows a similarity scan (prefilter.ts), where the source has one. */
  readonly quantized?: QuantizedRows;
}

// Descriptors that a PositionedFile holds, closed when the object is collected.
const openFiles = new FinalizationRegistry<number>((fd) => fs.close(fd, () => {}));

/** Reads at given offsets of a file, through a descriptor opened once (or, without one, per read). */
export class PositionedFile {
  /**
   * With `fd`, every read goes through that already-open descriptor (the file as it was at load,
   * even if a retrain replaces the model meanwhile); without, the file is opened for each read.
   */
  constructor(
    readonly file: string,
    private readonly fd?: number,
  ) {
    if (fd !== undefined) openFiles.register(this, fd);
  }

  /** Fills `into` from byte `position`; a file that ends first is an error. */
  read(into: Uint8Array, position: number): void {
    this.withFd((fd) => this.readFully(fd, into, position));
  }

  withFd<T>(fn: (fd: number) => T): T {
    if (this.fd !== undefined) return fn(this.fd);
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch (e) {
      throw new EmbedError(`cannot read '${this.file}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      return fn(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  readFully(fd: number, into: Uint8Array, position: number): void {
    for (let off = 0; off < into.length;) {
      const n = fs.readSync(fd, into, off, into.length - off, position + off);
      if (n === 0) throw new EmbedError(`'${this.file}' is shorter than its model says (truncated?)`);
      off += n;
    }
  }
}

/** The bytes of a typed array, in place (little-endian: Node runs little-endian on every platform it supports). */
export const bytesOf = (v: ArrayBufferView): Uint8Array => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

/** Little-endian float32 rows in a file (our native vectors.f32), read with plain positioned reads. */
export class Float32RowFile implements RowSource {
  private readonly f: PositionedFile;
  constructor(
    readonly file: string,
    readonly rows: number,
    readonly dim: number,
    fd?: number,
  ) {
    this.f = new PositionedFile(file, fd);
  }

  readRow(i: number, out: Float32Array): void {
    this.f.read(bytesOf(out.subarray(0, this.dim)), i * this.dim * 4);
  }

  readRows(first: number, count: number, out: Float32Array): void {
    this.f.read(bytesOf(out.subarray(0, count * this.dim)), first * this.dim * 4);
  }

  checkRow(): void {}

  loadAll(): Float32Array {
    const out = new Float32Array(this.rows * this.dim);
    this.f.withFd((fd) => {
      const bytes = new Uint8Array(out.buffer);
      for (let off = 0; off < bytes.length; off += 1 << 26)
        this.f.readFully(fd, bytes.subarray(off, Math.min(bytes.length, off + (1 << 26))), off);
    });
    return out;
  }
}

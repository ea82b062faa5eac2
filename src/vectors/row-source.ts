// Rows that stay on disk until needed. A one-off query on a big native model (1M × 300 = 1.2 GB) reads
// the few rows it looks up with positioned reads and streams the rest through one small buffer for the
// similarity scan, instead of first materialising the whole matrix (allocating and faulting in 1.2 GB
// costs more than the scan itself). Anything that needs the whole matrix loads it once, on demand.
import fs from 'node:fs';
import { EmbedError } from '../errors.js';

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
   * Each row's L2 norm, where the source has them ready (a native model's norms.f64), as the scan
   * computes them: sqrt of the four sums by d mod 4, in float64 (assembly/scan.ts, dotsNorms).
   */
  norms?(): Float64Array | null;
}

/** Little-endian float32 rows in a file (our native vectors.f32), read with plain positioned reads. */
// Descriptors that a Float32RowFile holds, closed when the object is collected.
const openFiles = new FinalizationRegistry<number>((fd) => fs.close(fd, () => {}));

export class Float32RowFile implements RowSource {
  /**
   * With `fd`, every read goes through that already-open descriptor (the file as it was at load,
   * even if a retrain replaces the model meanwhile); without, the file is opened for each read.
   */
  constructor(
    readonly file: string,
    readonly rows: number,
    readonly dim: number,
    private readonly fd?: number,
  ) {
    if (fd !== undefined) openFiles.register(this, fd);
  }

  private withFd<T>(fn: (fd: number) => T): T {
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

  private readFully(fd: number, into: Uint8Array, position: number): void {
    for (let off = 0; off < into.length;) {
      const n = fs.readSync(fd, into, off, into.length - off, position + off);
      if (n === 0) throw new EmbedError(`'${this.file}' is shorter than its model says (truncated?)`);
      off += n;
    }
  }

  readRow(i: number, out: Float32Array): void {
    this.withFd((fd) => this.readFully(fd, new Uint8Array(out.buffer, out.byteOffset, this.dim * 4), i * this.dim * 4));
  }

  readRows(first: number, count: number, out: Float32Array): void {
    const rowBytes = this.dim * 4;
    this.withFd((fd) => this.readFully(fd, new Uint8Array(out.buffer, out.byteOffset, count * rowBytes), first * rowBytes));
  }

  checkRow(): void {}

  loadAll(): Float32Array {
    const out = new Float32Array(this.rows * this.dim);
    this.withFd((fd) => {
      const bytes = new Uint8Array(out.buffer);
      for (let off = 0; off < bytes.length; off += 1 << 26)
        this.readFully(fd, bytes.subarray(off, Math.min(bytes.length, off + (1 << 26))), off);
    });
    return out;
  }
}

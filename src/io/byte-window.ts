// A sliding window over a file, so vector files of any size (GoogleNews binary 3.6 GB, GloVe 840B text
// 5.6 GB) stream through one buffer instead of one readFileSync (which stops at 2 GiB).
import fs from 'node:fs';

export class ByteWindow {
  buf: Buffer;
  /** Next unread byte in buf. */
  pos = 0;
  /** End of the valid bytes in buf. */
  end = 0;
  /** File offset of buf[0]. */
  offset = 0;
  eof = false;

  constructor(
    private fd: number,
    windowBytes = 64 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(16, windowBytes));
  }

  /** Bytes available from pos after making at least `n` available where the file has them. */
  ensure(n: number): number {
    if (this.end - this.pos >= n || this.eof) return this.end - this.pos;
    // Move the unread tail to the front, growing the buffer if one item is larger than it.
    const keep = this.end - this.pos;
    if (n > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2));
      this.buf.copy(bigger, 0, this.pos, this.end);
      this.buf = bigger;
    } else {
      this.buf.copy(this.buf, 0, this.pos, this.end);
    }
    this.offset += this.pos;
    this.pos = 0;
    this.end = keep;
    while (this.end < n && !this.eof) {
      const got = fs.readSync(this.fd, this.buf, this.end, this.buf.length - this.end, this.offset + this.end);
      if (got === 0) this.eof = true;
      this.end += got;
    }
    return this.end - this.pos;
  }

  /** Index in buf of the next `byte` at or after pos (reading more as needed), or -1 at end of file.
   *  Gives up with -2 after `max` bytes. Indices are valid until the next ensure/find call. */
  find(byte: number, max = Infinity): number {
    let from = this.pos;
    for (;;) {
      const i = this.buf.indexOf(byte, from);
      if (i >= 0 && i < this.end) return i - this.pos > max ? -2 : i;
      const scanned = this.end - this.pos;
      if (scanned > max) return -2;
      if (this.eof) return -1;
      this.ensure(scanned + Math.max(1 << 16, this.buf.length >> 1));
      from = this.pos + scanned;
    }
  }
}

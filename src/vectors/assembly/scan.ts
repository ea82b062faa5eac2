// The similarity scan's inner loops (AssemblyScript, SIMD; built by `npm run build:wasm` into
// dist/vectors/scan.wasm and driven by ../scan-kernel.ts, which owns the memory layout: every pointer
// below is a byte address in this module's own memory, above heapBase()).
//
// dots / dotsNorms reproduce the plain JavaScript scan they replaced bit for bit: products of float32
// values taken in float64 (exact), four sums by d mod 4 (lanes [0, 1] and [2, 3] of two f64x2
// accumulators), the rest of a row (dim mod 4) added to the first, and the four added left to right. So
// `embed similar` prints the same scores and order as before, only faster.
//
// gemm4 is the analogy evaluation's tile product: float32 throughout, like the TensorFlow.js matMul it
// replaced (its precision, not its summation order).

/** First free byte: the driver lays its buffers out from here. */
export function heapBase(): usize {
  return __heap_base;
}

// ((s0 + s1) + s2) + s3 of the two accumulators [s0, s1] and [s2, s3].
@inline
function total(lo: v128, hi: v128): f64 {
  return f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1) + f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1);
}

/** out[r] = q · row r (f64) for `count` rows of `dim` float32 values starting at `rows`. */
export function dots(q: usize, rows: usize, count: i32, dim: i32, out: usize): void {
  const body = dim & ~3;
  const rowBytes = <usize>dim << 2;
  for (let r = 0; r < count; r++) {
    const v = rows + <usize>r * rowBytes;
    let lo = f64x2.splat(0);
    let hi = f64x2.splat(0);
    for (let d = 0; d < body; d += 4) {
      const x = v128.load(v + (<usize>d << 2));
      const y = v128.load(q + (<usize>d << 2));
      lo = f64x2.add(lo, f64x2.mul(f64x2.promote_low_f32x4(x), f64x2.promote_low_f32x4(y)));
      hi = f64x2.add(hi, f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1)), f64x2.promote_low_f32x4(i32x4.shuffle(y, y, 2, 3, 0, 1))));
    }
    for (let d = body; d < dim; d++) {
      const p = <f64>load<f32>(v + (<usize>d << 2)) * <f64>load<f32>(q + (<usize>d << 2));
      lo = f64x2.replace_lane(lo, 0, f64x2.extract_lane(lo, 0) + p);
    }
    store<f64>(out + (<usize>r << 3), total(lo, hi));
  }
}

/** dots, and norms[r] = |row r| (f64) in the same pass. */
export function dotsNorms(q: usize, rows: usize, count: i32, dim: i32, out: usize, norms: usize): void {
  const body = dim & ~3;
  const rowBytes = <usize>dim << 2;
  for (let r = 0; r < count; r++) {
    const v = rows + <usize>r * rowBytes;
    let lo = f64x2.splat(0);
    let hi = f64x2.splat(0);
    let nlo = f64x2.splat(0);
    let nhi = f64x2.splat(0);
    for (let d = 0; d < body; d += 4) {
      const x = v128.load(v + (<usize>d << 2));
      const y = v128.load(q + (<usize>d << 2));
      const xl = f64x2.promote_low_f32x4(x);
      const xh = f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1));
      lo = f64x2.add(lo, f64x2.mul(xl, f64x2.promote_low_f32x4(y)));
      hi = f64x2.add(hi, f64x2.mul(xh, f64x2.promote_low_f32x4(i32x4.shuffle(y, y, 2, 3, 0, 1))));
      nlo = f64x2.add(nlo, f64x2.mul(xl, xl));
      nhi = f64x2.add(nhi, f64x2.mul(xh, xh));
    }
    for (let d = body; d < dim; d++) {
      const x = <f64>load<f32>(v + (<usize>d << 2));
      lo = f64x2.replace_lane(lo, 0, f64x2.extract_lane(lo, 0) + x * <f64>load<f32>(q + (<usize>d << 2)));
      nlo = f64x2.replace_lane(nlo, 0, f64x2.extract_lane(nlo, 0) + x * x);
    }
    store<f64>(out + (<usize>r << 3), total(lo, hi));
    store<f64>(norms + (<usize>r << 3), Math.sqrt(total(nlo, nhi)));
  }
}

// Σ of the four lanes of a f32x4.
@inline
function sum4(a: v128): f32 {
  return f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3);
}

/**
 * out[i × count + r] = q_i · row r (f32) for the `nq` query rows at `qs` and `count` rows at `rows`,
 * all of `dim` float32 values. Four queries share each load of a row.
 */
export function gemm4(qs: usize, nq: i32, rows: usize, count: i32, dim: i32, out: usize): void {
  const body = dim & ~3;
  const rowBytes = <usize>dim << 2;
  let i = 0;
  for (; i + 4 <= nq; i += 4) {
    const q0 = qs + <usize>i * rowBytes;
    const q1 = q0 + rowBytes;
    const q2 = q1 + rowBytes;
    const q3 = q2 + rowBytes;
    for (let r = 0; r < count; r++) {
      const v = rows + <usize>r * rowBytes;
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let a2 = f32x4.splat(0);
      let a3 = f32x4.splat(0);
      for (let d = 0; d < body; d += 4) {
        const o = <usize>d << 2;
        const x = v128.load(v + o);
        a0 = f32x4.add(a0, f32x4.mul(x, v128.load(q0 + o)));
        a1 = f32x4.add(a1, f32x4.mul(x, v128.load(q1 + o)));
        a2 = f32x4.add(a2, f32x4.mul(x, v128.load(q2 + o)));
        a3 = f32x4.add(a3, f32x4.mul(x, v128.load(q3 + o)));
      }
      let s0 = sum4(a0),
        s1 = sum4(a1),
        s2 = sum4(a2),
        s3 = sum4(a3);
      for (let d = body; d < dim; d++) {
        const o = <usize>d << 2;
        const x = load<f32>(v + o);
        s0 += x * load<f32>(q0 + o);
        s1 += x * load<f32>(q1 + o);
        s2 += x * load<f32>(q2 + o);
        s3 += x * load<f32>(q3 + o);
      }
      const at = out + ((<usize>i * <usize>count + <usize>r) << 2);
      const step = <usize>count << 2;
      store<f32>(at, s0);
      store<f32>(at + step, s1);
      store<f32>(at + 2 * step, s2);
      store<f32>(at + 3 * step, s3);
    }
  }
  for (; i < nq; i++) {
    const q0 = qs + <usize>i * rowBytes;
    for (let r = 0; r < count; r++) {
      const v = rows + <usize>r * rowBytes;
      let a0 = f32x4.splat(0);
      for (let d = 0; d < body; d += 4) {
        const o = <usize>d << 2;
        a0 = f32x4.add(a0, f32x4.mul(v128.load(v + o), v128.load(q0 + o)));
      }
      let s0 = sum4(a0);
      for (let d = body; d < dim; d++) s0 += load<f32>(v + (<usize>d << 2)) * load<f32>(q0 + (<usize>d << 2));
      store<f32>(out + ((<usize>i * <usize>count + <usize>r) << 2), s0);
    }
  }
}

/**
 * For each question j (rows a, b, c of the tile product `s`, i.e. s + a × count …): the scores of the
 * tile's `count` columns by 3CosAdd (b − a + c) or, with mul, 3CosMul ((1 + b)(1 + c) / (a + onePlus2eps))
 * merged into its best `k` so far (idx: global row numbers, first + column; score: f32; descending).
 * abc holds 3 i32 per question (tile-product rows).
 */
export function topk(s: usize, count: i32, first: i32, abc: usize, nq: i32, k: i32, mul: bool, onePlus2eps: f32, idx: usize, score: usize): void {
  const rowBytes = <usize>count << 2;
  for (let j = 0; j < nq; j++) {
    const pa = s + <usize>load<i32>(abc + (<usize>j * 12)) * rowBytes;
    const pb = s + <usize>load<i32>(abc + (<usize>j * 12 + 4)) * rowBytes;
    const pc = s + <usize>load<i32>(abc + (<usize>j * 12 + 8)) * rowBytes;
    const bi = idx + ((<usize>j * <usize>k) << 2);
    const bs = score + ((<usize>j * <usize>k) << 2);
    let worst = load<f32>(bs + (<usize>(k - 1) << 2));
    for (let r = 0; r < count; r++) {
      const o = <usize>r << 2;
      let v: f32;
      if (mul) v = ((1 + load<f32>(pb + o)) * (1 + load<f32>(pc + o))) / (load<f32>(pa + o) + onePlus2eps);
      else v = load<f32>(pb + o) - load<f32>(pa + o) + load<f32>(pc + o);
      if (!(v > worst)) continue;
      let m = k - 1;
      while (m > 0 && load<f32>(bs + (<usize>(m - 1) << 2)) < v) {
        store<f32>(bs + (<usize>m << 2), load<f32>(bs + (<usize>(m - 1) << 2)));
        store<i32>(bi + (<usize>m << 2), load<i32>(bi + (<usize>(m - 1) << 2)));
        m--;
      }
      store<f32>(bs + (<usize>m << 2), v);
      store<i32>(bi + (<usize>m << 2), first + r);
      worst = load<f32>(bs + (<usize>(k - 1) << 2));
    }
  }
}

/**
 * Checks the lines of vocab.tsv's `n` bytes at `bytes` ("word<TAB>count\n" each) and notes where every
 * 2^shift-th line starts: marks[m] = start of line m << shift (the rest are found from there, see
 * ../../io/vocab-file.ts). Returns the number of lines; size + 1 when there are more than `size`;
 * -(l + 1) when line l has no tab. Newlines and tabs are found 16 bytes at a time, as bit masks: a
 * line has a tab when its mask bits between the line's start and its newline are not all zero.
 */
export function lineMarks(bytes: usize, n: i32, size: i32, shift: i32, marks: usize): i32 {
  let line = 0;
  const every = (1 << shift) - 1;
  if (size > 0) store<u32>(marks, 0);
  const nl = i8x16.splat(10);
  const tab = i8x16.splat(9);
  const body = n & ~15;
  // Whether the current line has had a tab in an earlier block; within a block, bit masks answer it.
  let tabSeen = false;
  for (let at = 0; at < n; at += 16) {
    let nls: i32, tabs: i32;
    if (at < body) {
      const v = v128.load(bytes + <usize>at);
      nls = i8x16.bitmask(i8x16.eq(v, nl));
      tabs = i8x16.bitmask(i8x16.eq(v, tab));
    } else {
      nls = 0;
      tabs = 0;
      for (let i = at; i < n; i++) {
        const c = load<u8>(bytes + <usize>i);
        if (c == 10) nls |= 1 << (i - at);
        if (c == 9) tabs |= 1 << (i - at);
      }
    }
    let from = 0; // the bit where the current line starts in this block
    while (nls != 0) {
      const b = ctz(nls);
      nls &= nls - 1;
      if (line == size) return size + 1;
      if (!tabSeen && (tabs & ((1 << b) - 1) & ~((1 << from) - 1)) == 0) return -(line + 1);
      line++;
      tabSeen = false;
      from = b + 1;
      if ((line & every) == 0 && line < size) store<u32>(marks + (<usize>(line >> shift) << 2), at + b + 1);
    }
    if ((tabs & ~((1 << from) - 1)) != 0) tabSeen = true;
  }
  return line;
}

/**
 * out[r] = q · codes of row r (f32), for `count` rows of `dim` int8 codes from `codes`: the prefilter's
 * approximate dot products (../prefilter.ts bounds their error). Sixteen codes per load, widened to
 * f32 four at a time.
 */
export function dotsI8(q: usize, codes: usize, count: i32, dim: i32, out: usize): void {
  const body = dim & ~15;
  for (let r = 0; r < count; r++) {
    const v = codes + <usize>r * <usize>dim;
    let a = f32x4.splat(0);
    let b = f32x4.splat(0);
    for (let d = 0; d < body; d += 16) {
      const x = v128.load(v + <usize>d);
      const lo = i16x8.extend_low_i8x16_s(x);
      const hi = i16x8.extend_high_i8x16_s(x);
      const qd = q + (<usize>d << 2);
      a = f32x4.add(a, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(lo)), v128.load(qd)));
      b = f32x4.add(b, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(lo)), v128.load(qd + 16)));
      a = f32x4.add(a, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(hi)), v128.load(qd + 32)));
      b = f32x4.add(b, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(hi)), v128.load(qd + 48)));
    }
    let s = sum4(f32x4.add(a, b));
    for (let d = body; d < dim; d++) s += <f32>load<i8>(v + <usize>d) * load<f32>(q + (<usize>d << 2));
    store<f32>(out + (<usize>r << 2), s);
  }
}

/**
 * The prefilter's bounds and selection over one block (../prefilter.ts explains the bound): for the
 * `count` rows from `first` with approximate dot products `dots` (f32) and ratios (f32), centre =
 * ratio × dot / qn and half = ratio × (e + |dot| × 2^-20) / qn + 1e-9. Rows in `skip` (nSkip i32 row
 * numbers) are passed over. A row's lower bound enters `best` (f64, the k best so far, descending); a
 * row whose upper bound reaches best[k - 1] is appended to found (i32) / highs (f64) at n. A zero ratio
 * is a zero row (never a neighbour); a NaN ratio (a row that is not finite) is always appended, with an
 * infinite upper bound. Returns the new n, or -1 when it would pass `cap`.
 */
export function prefilterBlock(
  dots: usize,
  ratios: usize,
  count: i32,
  first: i32,
  e: f64,
  qn: f64,
  k: i32,
  best: usize,
  skip: usize,
  nSkip: i32,
  found: usize,
  highs: usize,
  n: i32,
  cap: i32,
): i32 {
  const last = best + (<usize>(k - 1) << 3);
  let bar = load<f64>(last);
  for (let r = 0; r < count; r++) {
    const ratio = <f64>load<f32>(ratios + (<usize>r << 2));
    const i = first + r;
    if (ratio == 0 || skipped(skip, nSkip, i)) continue;
    let high = Infinity;
    if (ratio == ratio) {
      const x = <f64>load<f32>(dots + (<usize>r << 2));
      const centre = (ratio * x) / qn;
      const half = (ratio * (e + Math.abs(x) * 9.5367431640625e-7)) / qn + 1e-9;
      high = centre + half;
      if (high < bar) continue;
      const low = centre - half;
      if (low > bar) {
        let j = k - 1;
        while (j > 0 && load<f64>(best + (<usize>(j - 1) << 3)) < low) {
          store<f64>(best + (<usize>j << 3), load<f64>(best + (<usize>(j - 1) << 3)));
          j--;
        }
        store<f64>(best + (<usize>j << 3), low);
        bar = load<f64>(last);
      }
    }
    if (n == cap) return -1;
    store<i32>(found + (<usize>n << 2), i);
    store<f64>(highs + (<usize>n << 3), high);
    n++;
  }
  return n;
}

@inline
function skipped(skip: usize, nSkip: i32, i: i32): bool {
  for (let j = 0; j < nSkip; j++) if (load<i32>(skip + (<usize>j << 2)) == i) return true;
  return false;
}

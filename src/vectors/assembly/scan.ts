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

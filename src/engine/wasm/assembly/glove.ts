// GloVe's fit (Stanford GloVe's glove.c, glove_thread) as a wasm kernel with SIMD: AdaGrad over a block
// of (i, j, x) records on weights in a shared WebAssembly.Memory, one instance per worker thread, no
// locks (Hogwild, as glove.c). Laid out by src/engine/glove/run.ts:
//   W:  2V rows of `stride` f32 (rows 0..V-1 words, V..2V-1 contexts; stride = dim rounded up to 4,
//       the padding stays 0 because its gradient is 0), `pitch` f32 apart
//   G:  the AdaGrad sums of squared gradients, same shape, starting at 1: row r right after W's row r
//       (G = W + stride), so a record's updates touch two runs of memory, not eight
//   B, BG: 2V f32 biases and their sums of squares, after row r of G (B = W + 2 × stride, BG = B + 1),
//       pitch = 2 × stride + 4 floats from one row to the next
//   records: 16 bytes each, int32 i, int32 j, then f32 log x and f32 f(x) = min(1, (x/xMax)^power), which
//       run.ts (weighRecords) writes over cooccur.ts's float64 x once before the first iteration: the
//       same for every iteration, and a software log and pow per record were much of the fit's time
// Differences from glove.c: f32 weights (glove.c: double), SIMD, and a record whose update is not
// finite is skipped as a whole (glove.c skips non-finite diffs and word-vector updates the same way).

let skipped: i32 = 0;

export function getSkipped(): i32 {
  return skipped;
}

/**
 * Fits n records at rec; returns the summed cost 0.5·f(x)·(wᵢ·w̃ⱼ + bᵢ + b̃ⱼ − log x)².
 * Biases take the step fdiff/√G without eta, as glove.c does today.
 */
export function fit(rec: usize, n: i32, W: usize, G: usize, B: usize, BG: usize, V: i32, stride: i32, pitch: i32, eta: f32, clip: f32): f64 {
  let cost: f64 = 0;
  const rowBytes = <usize>stride << 2;
  const pitchBytes = <usize>pitch << 2;
  const vEta = f32x4.splat(eta);
  const vClip = f32x4.splat(clip);
  const vNClip = f32x4.splat(-clip);
  for (let r = 0; r < n; r++) {
    const p = rec + (<usize>r << 4);
    const i = load<i32>(p);
    const j = load<i32>(p, 4) + V;
    const logX = <f64>load<f32>(p, 8);
    const weight = <f64>load<f32>(p, 12);
    const l1 = W + <usize>i * pitchBytes;
    const l2 = W + <usize>j * pitchBytes;
    const g1 = G + <usize>i * pitchBytes;
    const g2 = G + <usize>j * pitchBytes;
    let acc = f32x4.splat(0);
    for (let o: usize = 0; o < rowBytes; o += 16) acc = f32x4.add(acc, f32x4.mul(v128.load(l1 + o), v128.load(l2 + o)));
    const dot: f64 = <f64>(f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
    const bi = B + <usize>i * pitchBytes;
    const bj = B + <usize>j * pitchBytes;
    const diff: f64 = dot + <f64>load<f32>(bi) + <f64>load<f32>(bj) - logX;
    const fdiff: f64 = weight * diff;
    if (!isFinite(fdiff)) {
      skipped++;
      continue;
    }
    cost += 0.5 * fdiff * diff;
    const fd = f32x4.splat(<f32>fdiff);
    for (let o: usize = 0; o < rowBytes; o += 16) {
      const w1 = v128.load(l1 + o);
      const w2 = v128.load(l2 + o);
      const s1 = v128.load(g1 + o);
      const s2 = v128.load(g2 + o);
      const t1 = f32x4.mul(f32x4.min(f32x4.max(f32x4.mul(fd, w2), vNClip), vClip), vEta);
      const t2 = f32x4.mul(f32x4.min(f32x4.max(f32x4.mul(fd, w1), vNClip), vClip), vEta);
      v128.store(l1 + o, f32x4.sub(w1, f32x4.div(t1, f32x4.sqrt(s1))));
      v128.store(l2 + o, f32x4.sub(w2, f32x4.div(t2, f32x4.sqrt(s2))));
      v128.store(g1 + o, f32x4.add(s1, f32x4.mul(t1, t1)));
      v128.store(g2 + o, f32x4.add(s2, f32x4.mul(t2, t2)));
    }
    const gi = BG + <usize>i * pitchBytes;
    const gj = BG + <usize>j * pitchBytes;
    const f32diff = <f32>fdiff;
    store<f32>(bi, load<f32>(bi) - f32diff / Mathf.sqrt(load<f32>(gi)));
    store<f32>(bj, load<f32>(bj) - f32diff / Mathf.sqrt(load<f32>(gj)));
    const sq = f32diff * f32diff;
    store<f32>(gi, load<f32>(gi) + sq);
    store<f32>(gj, load<f32>(gj) + sq);
  }
  return cost;
}

// Small, fast, seedable PRNGs. Training must be bit-for-bit reproducible with --seed and one thread,
// so every random draw comes from one of these, never Math.random.

/** splitmix32: turns a seed (and a stream number) into well-mixed 32-bit state. */
export function mixSeed(seed: number, stream = 0): number {
  let z = (seed + Math.imul(stream + 1, 0x9e3779b9)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return z === 0 ? 0x6d2b79f5 : z >>> 0;
}

/** xorshift32 state as a closure-free class so hot loops can inline it. */
export class Rng {
  state: number;
  constructor(seed: number, stream = 0) {
    this.state = mixSeed(seed, stream) | 0;
  }
  /** Next unsigned 32-bit integer. */
  nextU32(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x;
    return x >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }
}

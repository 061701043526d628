// Seeded randomness for everything outside tfjs kernels: one well-kept PRNG (seedrandom's alea),
// so a rerun with the same seed gives the same bytes.
import seedrandom from 'seedrandom';

export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** A fresh 32-bit seed, e.g. for a tfjs op's `seed` argument. */
  seed32(): number;
}

export function createRng(seed: number | string): Rng {
  const next = seedrandom.alea(String(seed));
  let spare: number | null = null;
  return {
    uniform: () => next(),
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int: (n: number) => Math.floor(next() * n),
    seed32: () => next.int32() >>> 0,
  };
}

/** Fisher–Yates permutation of 0..n-1. */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/**
 * The `seed` argument for tfjs random ops (tf.randomNormal, …): tfjs treats a falsy seed — 0 — as
 * "no seed" and draws from Math.random, so an unlucky 0 (1 in 2³² from seed32(), or base + step
 * arithmetic) would silently make a run irreproducible. 0 maps to a fixed non-zero value.
 */
export function tfSeed(seed: number): number {
  return seed === 0 ? 0x9e3779b9 : seed;
}

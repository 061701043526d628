// Seeded choices of images: the first k of a seeded permutation (kept in that random order, so a
// consumer taking the first rows never gets only one class, as it would from the class-sorted
// npm package).
import { createRng, permutation } from '../tensor/rng.ts';

/** k distinct indices in [0, n), in a seeded random order; k ≥ n (or k = 0) gives all n, shuffled. */
export function seededSubset(n: number, k: number, seed: number | string): Int32Array {
  const p = permutation(n, createRng(seed));
  return k > 0 && k < n ? p.slice(0, k) : p;
}

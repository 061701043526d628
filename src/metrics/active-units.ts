// Active units (Burda et al. 2016): dimension i is active when A_i = Cov_x(E_q[z_i | x]) > 0.01,
// i.e. the posterior mean moves with the input. Accumulated in float64 over mini-batches so the
// whole [N, latent] μ matrix never has to be held.

export const ACTIVE_UNIT_THRESHOLD = 0.01;

export class MeanVarianceAccumulator {
  private n = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(readonly dims: number) {
    this.mean = new Float64Array(dims);
    this.m2 = new Float64Array(dims);
  }

  /** Add the rows of a row-major [rows, dims] block (Welford/Chan update, stable for large means). */
  add(block: ArrayLike<number>, rows = block.length / this.dims): void {
    if (rows * this.dims !== block.length) throw new RangeError(`expected rows×${this.dims} values, got ${block.length}`);
    for (let r = 0; r < rows; r++) {
      this.n++;
      const base = r * this.dims;
      for (let d = 0; d < this.dims; d++) {
        const x = block[base + d];
        const delta = x - this.mean[d];
        this.mean[d] += delta / this.n;
        this.m2[d] += delta * (x - this.mean[d]);
      }
    }
  }

  get count(): number {
    return this.n;
  }

  /** Population variance (1/N) per dimension. */
  variance(): Float64Array {
    if (this.n === 0) throw new RangeError('variance of zero rows');
    return this.m2.map((v) => v / this.n);
  }

  means(): Float64Array {
    return this.mean.slice();
  }
}

export function countActiveUnits(variances: ArrayLike<number>, threshold = ACTIVE_UNIT_THRESHOLD): number {
  let c = 0;
  for (let i = 0; i < variances.length; i++) if (variances[i] > threshold) c++;
  return c;
}

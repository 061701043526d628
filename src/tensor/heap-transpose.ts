// Cache-blocked transpose of the last two axes of a row-major float array. The wasm backend's own
// Transpose kernel is ~10x slower than this plain JS loop on the same heap (6 ms vs 0.5 ms for
// 784×512 here). Used by the Conv2DBackpropFilter fix; the matMul fix now uses the SIMD
// transpose of src/tensor/heap-simd.ts (another ~10x).

const TILE = 32;

/**
 * dst[b, j, i] = src[b, i, j] for b < batch, i < rows, j < cols. `srcOffset`/`dstOffset` are
 * element offsets, so views into one big heap array can be passed without copying.
 */
export function transposeLastTwo(
  src: Float32Array,
  dst: Float32Array,
  batch: number,
  rows: number,
  cols: number,
  srcOffset = 0,
  dstOffset = 0,
): void {
  const size = rows * cols;
  if (srcOffset + batch * size > src.length || dstOffset + batch * size > dst.length) {
    throw new RangeError(`transposeLastTwo: [${batch}, ${rows}, ${cols}] does not fit the given arrays`);
  }
  for (let b = 0; b < batch; b++) {
    const s0 = srcOffset + b * size;
    const d0 = dstOffset + b * size;
    for (let i0 = 0; i0 < rows; i0 += TILE) {
      const i1 = Math.min(i0 + TILE, rows);
      for (let j0 = 0; j0 < cols; j0 += TILE) {
        const j1 = Math.min(j0 + TILE, cols);
        for (let i = i0; i < i1; i++) {
          const so = s0 + i * cols;
          for (let j = j0; j < j1; j++) dst[d0 + j * rows + i] = src[so + j];
        }
      }
    }
  }
}

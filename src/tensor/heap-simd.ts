// SIMD loops that run directly on tfjs-backend-wasm's heap: a tiny WebAssembly module (WebAssembly
// text, below, compiled by src/tensor/wat-compile.ts) imports the backend's own WebAssembly.Memory,
// so tensors are read and written where they live, with f32x4 arithmetic — the same IEEE float32
// operations the backend's kernels use, 4 lanes at a time. Measured here: the fused Adam as a plain JS loop (Math.fround
// after every op) took ~10 ns per element, slower than the ~10 stock kernels it replaces; this
// loop takes ~1.4 ns. The JS transpose took 1.3–2 ns per element, this one ~0.2.
//   adam:   one fused Adam step (the arithmetic of src/tensor/adam-update.ts, bit for bit)
//   colSum: out[j] = Σ_i x[i, j], rows summed in order (the stock Sum kernel's order after its transpose)
//   transpose: dst[j, i] = src[i, j] (4×4 blocks through registers; the matMul fix transposes an operand per gradient)
import { heapModule } from './wat-compile.ts';
import type { AdamCoefficients } from './adam-update.ts';

// Addresses are byte offsets into the imported memory (tfjs-backend-wasm's heap), 4-byte aligned at
// least; vector accesses promise no more (align=1). Loops are `block { loop { br_if exit; …; br loop } }`;
// a loop counter that is not set before its loop starts at 0, as every local does.
const HEAP_SIMD_WAT = String.raw`
(module
  (import "env" "memory" (memory 0))

  ;; adam(w, m, v, g, wOut, mOut, vOut, n, coefficients…) → max |g| (NaN if any g is NaN).
  ;; One Adam step over n floats with the arithmetic of src/tensor/adam-update.ts, op for op (no
  ;; fused multiply-add, the same association), so the results are tf.train.adam's bit for bit:
  ;;   m' = m·β₁ + g·(1−β₁)
  ;;   v' = v·β₂ + (g·g)·(1−β₂)
  ;;   w' = ((m'/(1−β₁ᵗ)) / (√(v'/(1−β₂ᵗ)) + ε))·(−lr) + w
  ;; 4 floats at a time, then the n mod 4 tail on scalars.
  (func (export "adam")
    (param $w i32) (param $m i32) (param $v i32) (param $g i32)
    (param $wOut i32) (param $mOut i32) (param $vOut i32) (param $n i32)
    (param $beta1 f32) (param $beta2 f32) (param $oneMinusBeta1 f32) (param $oneMinusBeta2 f32)
    (param $oneMinusAccBeta1 f32) (param $oneMinusAccBeta2 f32) (param $negLr f32) (param $epsilon f32)
    (result f32)
    (local $i i32)        ;; byte offset of the current element in every array
    (local $vecEnd i32)   ;; bytes covered by whole vectors
    (local $end i32)
    ;; the coefficients in all 4 lanes
    (local $beta1x4 v128) (local $beta2x4 v128) (local $oneMinusBeta1x4 v128) (local $oneMinusBeta2x4 v128)
    (local $oneMinusAccBeta1x4 v128) (local $oneMinusAccBeta2x4 v128) (local $negLrx4 v128) (local $epsilonx4 v128)
    (local $maxAbsx4 v128) (local $gx4 v128) (local $mx4 v128) (local $vx4 v128)
    (local $gs f32) (local $ms f32) (local $vs f32) (local $maxAbs f32)
    (local.set $vecEnd (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $beta1x4 (f32x4.splat (local.get $beta1)))
    (local.set $beta2x4 (f32x4.splat (local.get $beta2)))
    (local.set $oneMinusBeta1x4 (f32x4.splat (local.get $oneMinusBeta1)))
    (local.set $oneMinusBeta2x4 (f32x4.splat (local.get $oneMinusBeta2)))
    (local.set $oneMinusAccBeta1x4 (f32x4.splat (local.get $oneMinusAccBeta1)))
    (local.set $oneMinusAccBeta2x4 (f32x4.splat (local.get $oneMinusAccBeta2)))
    (local.set $negLrx4 (f32x4.splat (local.get $negLr)))
    (local.set $epsilonx4 (f32x4.splat (local.get $epsilon)))
    (local.set $maxAbsx4 (f32x4.splat (f32.const 0)))
    (block $vectorsDone
      (loop $eachVector
        (br_if $vectorsDone (i32.ge_u (local.get $i) (local.get $vecEnd)))
        (local.set $gx4 (v128.load align=1 (i32.add (local.get $g) (local.get $i))))
        (local.set $mx4
          (f32x4.add
            (f32x4.mul (v128.load align=1 (i32.add (local.get $m) (local.get $i))) (local.get $beta1x4))
            (f32x4.mul (local.get $gx4) (local.get $oneMinusBeta1x4))))
        (v128.store align=1 (i32.add (local.get $mOut) (local.get $i)) (local.get $mx4))
        (local.set $vx4
          (f32x4.add
            (f32x4.mul (v128.load align=1 (i32.add (local.get $v) (local.get $i))) (local.get $beta2x4))
            (f32x4.mul (f32x4.mul (local.get $gx4) (local.get $gx4)) (local.get $oneMinusBeta2x4))))
        (v128.store align=1 (i32.add (local.get $vOut) (local.get $i)) (local.get $vx4))
        (v128.store align=1 (i32.add (local.get $wOut) (local.get $i))
          (f32x4.add
            (f32x4.mul
              (f32x4.div
                (f32x4.div (local.get $mx4) (local.get $oneMinusAccBeta1x4))
                (f32x4.add
                  (f32x4.sqrt (f32x4.div (local.get $vx4) (local.get $oneMinusAccBeta2x4)))
                  (local.get $epsilonx4)))
              (local.get $negLrx4))
            (v128.load align=1 (i32.add (local.get $w) (local.get $i)))))
        ;; f32x4.max is NaN when either lane is: a NaN gradient survives into the result
        (local.set $maxAbsx4 (f32x4.max (local.get $maxAbsx4) (f32x4.abs (local.get $gx4))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $eachVector)))
    (local.set $maxAbs
      (f32.max
        (f32.max (f32x4.extract_lane 0 (local.get $maxAbsx4)) (f32x4.extract_lane 1 (local.get $maxAbsx4)))
        (f32.max (f32x4.extract_lane 2 (local.get $maxAbsx4)) (f32x4.extract_lane 3 (local.get $maxAbsx4)))))
    ;; the n mod 4 tail: the same arithmetic on scalars
    (block $tailDone
      (loop $eachScalar
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $i))))
        (local.set $ms
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $m) (local.get $i))) (local.get $beta1))
            (f32.mul (local.get $gs) (local.get $oneMinusBeta1))))
        (f32.store (i32.add (local.get $mOut) (local.get $i)) (local.get $ms))
        (local.set $vs
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $v) (local.get $i))) (local.get $beta2))
            (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $oneMinusBeta2))))
        (f32.store (i32.add (local.get $vOut) (local.get $i)) (local.get $vs))
        (f32.store (i32.add (local.get $wOut) (local.get $i))
          (f32.add
            (f32.mul
              (f32.div
                (f32.div (local.get $ms) (local.get $oneMinusAccBeta1))
                (f32.add
                  (f32.sqrt (f32.div (local.get $vs) (local.get $oneMinusAccBeta2)))
                  (local.get $epsilon)))
              (local.get $negLr))
            (f32.load (i32.add (local.get $w) (local.get $i)))))
        (local.set $maxAbs (f32.max (local.get $maxAbs) (f32.abs (local.get $gs))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $eachScalar)))
    (local.get $maxAbs))

  ;; colSum(x, out, rows, cols): out[j] = ((+0 + x[0, j]) + x[1, j]) + … — rows added in order, as
  ;; the stock Sum kernel adds them (after its transpose), so the sums are bit-identical.
  (func (export "colSum") (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $r i32)
    (local $j i32)        ;; bytes into a row
    (local $rowBytes i32)
    (local $vecEnd i32)   ;; bytes of a row covered by whole vectors
    (local $row i32)      ;; address of row r
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $vecEnd (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (block $zeroed
      (loop $zeroEach
        (br_if $zeroed (i32.ge_u (local.get $j) (local.get $rowBytes)))
        (f32.store (i32.add (local.get $out) (local.get $j)) (f32.const 0))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $zeroEach)))
    (local.set $row (local.get $x))
    (block $rowsDone
      (loop $eachRow
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $vectorsDone
          (loop $eachVector
            (br_if $vectorsDone (i32.ge_u (local.get $j) (local.get $vecEnd)))
            (v128.store align=1 (i32.add (local.get $out) (local.get $j))
              (f32x4.add
                (v128.load align=1 (i32.add (local.get $out) (local.get $j)))
                (v128.load align=1 (i32.add (local.get $row) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $eachVector)))
        (block $tailDone
          (loop $eachScalar
            (br_if $tailDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (f32.store (i32.add (local.get $out) (local.get $j))
              (f32.add
                (f32.load (i32.add (local.get $out) (local.get $j)))
                (f32.load (i32.add (local.get $row) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $eachScalar)))
        (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $eachRow))))

  ;; transpose4(src, dst, rows, cols, dstRows): dst[j·dstRows + i] = src[i·cols + j] for the 4×4
  ;; blocks of rows − rows mod 4 by cols − cols mod 4, column blocks outermost. The caller passes
  ;; bands of 16 rows, so each destination cache line is filled completely before the next is
  ;; touched (with 512 rows a column-outer sweep over all rows thrashes L1: the destination stride
  ;; is 2 KiB), and copies the thin right and bottom strips itself.
  ;; A block's rows a, b, c, d become its columns with two rounds of shuffles (lane numbers: 0–3
  ;; the first operand's, 4–7 the second's; i8x16.shuffle takes them as bytes, 4 per lane):
  ;;   [a0 b0 a1 b1] [a2 b2 a3 b3] [c0 d0 c1 d1] [c2 d2 c3 d3]  (lanes 0 4 1 5 and 2 6 3 7)
  ;;   → [a0 b0 c0 d0] [a1 b1 c1 d1] [a2 b2 c2 d2] [a3 b3 c3 d3]  (lanes 0 1 4 5 and 2 3 6 7)
  (func (export "transpose4")
    (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $dstRows i32)
    (local $i i32)         ;; the block's first source row
    (local $j i32)         ;; the block's first source column
    (local $rowsV i32)     ;; rows − rows mod 4
    (local $colsV i32)     ;; cols − cols mod 4
    (local $sp i32)        ;; address of src[i, j]
    (local $dp i32)        ;; address of dst[j, i]
    (local $rowBytes i32)  ;; source row stride
    (local $colBytes i32)  ;; destination row stride
    (local $ra v128) (local $rb v128) (local $rc v128) (local $rd v128)
    (local $ab01 v128) (local $ab23 v128) (local $cd01 v128) (local $cd23 v128)
    (local.set $rowsV (i32.and (local.get $rows) (i32.const -4)))
    (local.set $colsV (i32.and (local.get $cols) (i32.const -4)))
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $colBytes (i32.shl (local.get $dstRows) (i32.const 2)))
    (block $columnsDone
      (loop $eachColumnBlock
        (br_if $columnsDone (i32.ge_u (local.get $j) (local.get $colsV)))
        (local.set $i (i32.const 0))
        (block $rowsDone
          (loop $eachRowBlock
            (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $rowsV)))
            (local.set $sp
              (i32.add
                (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $rowBytes)))
                (i32.mul (local.get $j) (i32.const 4))))
            (local.set $dp
              (i32.add
                (i32.add (local.get $dst) (i32.mul (local.get $j) (local.get $colBytes)))
                (i32.mul (local.get $i) (i32.const 4))))
            (local.set $ra (v128.load align=1 (local.get $sp)))
            (local.set $rb (v128.load align=1 (i32.add (local.get $sp) (local.get $rowBytes))))
            (local.set $rc (v128.load align=1 (i32.add (local.get $sp) (i32.mul (local.get $rowBytes) (i32.const 2)))))
            (local.set $rd (v128.load align=1 (i32.add (local.get $sp) (i32.mul (local.get $rowBytes) (i32.const 3)))))
            ;; lanes 0 4 1 5 / 2 6 3 7 of (ra, rb) and of (rc, rd)
            (local.set $ab01 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $ra) (local.get $rb)))
            (local.set $ab23 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $ra) (local.get $rb)))
            (local.set $cd01 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $rc) (local.get $rd)))
            (local.set $cd23 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $rc) (local.get $rd)))
            ;; lanes 0 1 4 5 / 2 3 6 7: the block's columns, stored as destination rows j .. j+3
            (v128.store align=1 (local.get $dp)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab01) (local.get $cd01)))
            (v128.store align=1 (i32.add (local.get $dp) (local.get $colBytes))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab01) (local.get $cd01)))
            (v128.store align=1 (i32.add (local.get $dp) (i32.mul (local.get $colBytes) (i32.const 2)))
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab23) (local.get $cd23)))
            (v128.store align=1 (i32.add (local.get $dp) (i32.mul (local.get $colBytes) (i32.const 3)))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab23) (local.get $cd23)))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $eachRowBlock)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $eachColumnBlock))))
)
`;

/** Rows per transpose4 call: see transpose4 above. */
const BAND = 16;

export interface HeapSimd {
  /** Byte offsets into the memory; returns max |g| (NaN if any g is NaN). */
  adam(w: number, m: number, v: number, g: number, wOut: number, mOut: number, vOut: number, n: number, c: AdamCoefficients): number;
  /** Byte offsets; out[j] = Σ_i x[i·cols + j] for i < rows, j < cols. */
  colSum(x: number, out: number, rows: number, cols: number): void;
  /** Byte offsets; dst[j·rows + i] = src[i·cols + j] (the regions must not overlap). */
  transpose(src: number, dst: number, rows: number, cols: number): void;
}

const module = heapModule('heap-simd.wat', HEAP_SIMD_WAT, 'await loadHeapSimd() first (initBackend does, on wasm)');
const wrappers = new WeakMap<WebAssembly.Memory, HeapSimd>();

/** Compile the module (once per process); heapSimd() needs this done. */
export const loadHeapSimd = (): Promise<void> => module.load();

/** The kernels bound to `memory` (instantiated once per memory), after loadHeapSimd(). */
export function heapSimd(memory: WebAssembly.Memory): HeapSimd {
  let kernels = wrappers.get(memory);
  if (!kernels) {
    const exports = module.exportsFor(memory) as unknown as {
      adam: (...args: number[]) => number;
      colSum: (xp: number, out: number, rows: number, cols: number) => void;
      transpose4: (src: number, dst: number, rows: number, cols: number, dstRows: number) => void;
    };
    kernels = {
      adam: (w, m, v, g, wOut, mOut, vOut, n, c) =>
        exports.adam(w, m, v, g, wOut, mOut, vOut, n, c.beta1, c.beta2, c.oneMinusBeta1, c.oneMinusBeta2, c.oneMinusAccBeta1, c.oneMinusAccBeta2, c.negLr, c.epsilon),
      colSum: (xp, out, rows, cols) => exports.colSum(xp, out, rows, cols),
      transpose(src, dst, rows, cols) {
        const rowsV = rows & ~3;
        for (let b = 0; b < rowsV; b += BAND) exports.transpose4(src + 4 * b * cols, dst + 4 * b, Math.min(BAND, rowsV - b), cols, rows);
        const colsV = cols & ~3;
        if (rowsV === rows && colsV === cols) return;
        const heap = new Float32Array(memory.buffer);
        const s0 = src >>> 2;
        const d0 = dst >>> 2;
        for (let i = 0; i < rows; i++) {
          // the right strip of every row, and whole rows of the bottom strip
          for (let j = i < rowsV ? colsV : 0; j < cols; j++) heap[d0 + j * rows + i] = heap[s0 + i * cols + j];
        }
      },
    };
    wrappers.set(memory, kernels);
  }
  return kernels;
}

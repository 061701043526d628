// C = A·B (+ bias) for row-major float32 matrices on a WebAssembly memory: a SIMD module in
// WebAssembly text, below, compiled by src/tensor/wat-compile.ts. XNNPACK (tfjs-backend-wasm's
// matMul) re-packs its right operand for every new tensor at ~3–4 ns per element — in training
// every operand is new, ~3 M elements a step of the MLP VAE — while this packs B into 8-column
// panels at memory speed and then runs a 4×8 register-blocked kernel. Each output is summed over k in order, starting from the bias (or +0),
// with separate multiply and add: XNNPACK's wasm SIMD kernels do the same, so results are
// bit-identical (tested against the stock kernel).
import { heapModule } from './wat-compile.ts';

// Addresses are byte offsets into the imported memory (tfjs-backend-wasm's heap), 4-byte aligned at
// least; vector accesses promise no more (align=1). Loops are `block { loop { br_if exit; …; br loop } }`.
const HEAP_GEMM_WAT = String.raw`
(module
  (import "env" "memory" (memory 0))

  ;; pack(b, panels, k, n): B (k×n, row-major) into 8-column panels, each k rows of 8 floats:
  ;; panels[((j/8)·k + kk)·8 + c] = b[kk·n + j + c], c < 8; n % 8 = 0. One panel is read per
  ;; 8 columns of output, so the GEMM's inner loop walks it contiguously.
  (func (export "pack") (param $b i32) (param $panels i32) (param $k i32) (param $n i32)
    (local $j i32)        ;; bytes into a row of B: the panel's first column
    (local $kk i32)
    (local $src i32)
    (local $dst i32)
    (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $dst (local.get $panels))
    (block $panelsDone
      (loop $eachPanel
        (br_if $panelsDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
        (local.set $src (i32.add (local.get $b) (local.get $j)))
        (local.set $kk (i32.const 0))
        (block $rowsDone
          (loop $eachRow
            (br_if $rowsDone (i32.ge_u (local.get $kk) (local.get $k)))
            ;; 8 floats of row kk: two vectors
            (v128.store align=1 (local.get $dst) (v128.load align=1 (local.get $src)))
            (v128.store offset=16 align=1 (local.get $dst) (v128.load offset=16 align=1 (local.get $src)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
            (local.set $src (i32.add (local.get $src) (local.get $rowBytes)))
            (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
            (br $eachRow)))
        (local.set $j (i32.add (local.get $j) (i32.const 32)))
        (br $eachPanel))))

  ;; gemm(a, panels, c, bias, m, k, n): C (m×n) = A (m×k)·B + bias, B packed by pack(); bias 0 means
  ;; none; m % 4 = 0, n % 8 = 0. Panels outermost (one panel, k·32 bytes, stays in L1), 4-row blocks
  ;; of A inside; a 4×8 block of C lives in 8 vector accumulators ($cR_0: row R, columns 0–3;
  ;; $cR_4: columns 4–7). Each output is (((bias or +0) + a₀b₀) + a₁b₁) + …, every product rounded
  ;; before its add (no fused multiply-add): the order and rounding of XNNPACK's wasm SIMD kernels,
  ;; so the results are bit-identical to tfjs-backend-wasm's matMul.
  (func (export "gemm")
    (param $a i32) (param $panels i32) (param $c i32) (param $bias i32)
    (param $m i32) (param $k i32) (param $n i32)
    (local $j i32)        ;; bytes into a row of C: the panel's first column
    (local $i i32)        ;; first row of the 4-row block
    (local $kk i32)
    (local $panel i32)    ;; this panel's address
    (local $bp i32)       ;; row kk of the panel
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)  ;; A[i + r, kk]
    (local $cp i32)       ;; where the next row of the block is stored
    (local $kBytes i32)
    (local $nBytes i32)
    (local $c0_0 v128) (local $c0_4 v128)
    (local $c1_0 v128) (local $c1_4 v128)
    (local $c2_0 v128) (local $c2_4 v128)
    (local $c3_0 v128) (local $c3_4 v128)
    (local $b0 v128) (local $b4 v128)   ;; B[kk, j..j+3], B[kk, j+4..j+7]
    (local $av v128)                    ;; A[i + r, kk] in all 4 lanes
    (local.set $kBytes (i32.shl (local.get $k) (i32.const 2)))
    (local.set $nBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $panel (local.get $panels))
    (block $panelsDone
      (loop $eachPanel
        (br_if $panelsDone (i32.ge_u (local.get $j) (local.get $nBytes)))
        (local.set $i (i32.const 0))
        (block $blocksDone
          (loop $eachBlock
            (br_if $blocksDone (i32.ge_u (local.get $i) (local.get $m)))
            ;; the accumulators start at the bias (or +0)
            (if (i32.eqz (local.get $bias))
              (then
                (local.set $c0_0 (f32x4.splat (f32.const 0)))
                (local.set $c0_4 (f32x4.splat (f32.const 0)))
                (local.set $c1_0 (f32x4.splat (f32.const 0)))
                (local.set $c1_4 (f32x4.splat (f32.const 0)))
                (local.set $c2_0 (f32x4.splat (f32.const 0)))
                (local.set $c2_4 (f32x4.splat (f32.const 0)))
                (local.set $c3_0 (f32x4.splat (f32.const 0)))
                (local.set $c3_4 (f32x4.splat (f32.const 0))))
              (else
                (local.set $b0 (v128.load align=1 (i32.add (local.get $bias) (local.get $j))))
                (local.set $b4 (v128.load offset=16 align=1 (i32.add (local.get $bias) (local.get $j))))
                (local.set $c0_0 (local.get $b0))
                (local.set $c0_4 (local.get $b4))
                (local.set $c1_0 (local.get $b0))
                (local.set $c1_4 (local.get $b4))
                (local.set $c2_0 (local.get $b0))
                (local.set $c2_4 (local.get $b4))
                (local.set $c3_0 (local.get $b0))
                (local.set $c3_4 (local.get $b4))))
            ;; row pointers into A: a + (i + r)·k·4
            (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $kBytes))))
            (local.set $a1 (i32.add (local.get $a0) (local.get $kBytes)))
            (local.set $a2 (i32.add (local.get $a1) (local.get $kBytes)))
            (local.set $a3 (i32.add (local.get $a2) (local.get $kBytes)))
            (local.set $bp (local.get $panel))
            (local.set $kk (i32.const 0))
            (block $kDone
              (loop $eachK
                (br_if $kDone (i32.ge_u (local.get $kk) (local.get $k)))
                (local.set $b0 (v128.load align=1 (local.get $bp)))
                (local.set $b4 (v128.load offset=16 align=1 (local.get $bp)))
                (local.set $av (v128.load32_splat (local.get $a0)))
                (local.set $c0_0 (f32x4.add (local.get $c0_0) (f32x4.mul (local.get $av) (local.get $b0))))
                (local.set $c0_4 (f32x4.add (local.get $c0_4) (f32x4.mul (local.get $av) (local.get $b4))))
                (local.set $a0 (i32.add (local.get $a0) (i32.const 4)))
                (local.set $av (v128.load32_splat (local.get $a1)))
                (local.set $c1_0 (f32x4.add (local.get $c1_0) (f32x4.mul (local.get $av) (local.get $b0))))
                (local.set $c1_4 (f32x4.add (local.get $c1_4) (f32x4.mul (local.get $av) (local.get $b4))))
                (local.set $a1 (i32.add (local.get $a1) (i32.const 4)))
                (local.set $av (v128.load32_splat (local.get $a2)))
                (local.set $c2_0 (f32x4.add (local.get $c2_0) (f32x4.mul (local.get $av) (local.get $b0))))
                (local.set $c2_4 (f32x4.add (local.get $c2_4) (f32x4.mul (local.get $av) (local.get $b4))))
                (local.set $a2 (i32.add (local.get $a2) (i32.const 4)))
                (local.set $av (v128.load32_splat (local.get $a3)))
                (local.set $c3_0 (f32x4.add (local.get $c3_0) (f32x4.mul (local.get $av) (local.get $b0))))
                (local.set $c3_4 (f32x4.add (local.get $c3_4) (f32x4.mul (local.get $av) (local.get $b4))))
                (local.set $a3 (i32.add (local.get $a3) (i32.const 4)))
                (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
                (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
                (br $eachK)))
            ;; store rows i..i+3, columns j/4..j/4+7
            (local.set $cp (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $nBytes))) (local.get $j)))
            (v128.store align=1 (local.get $cp) (local.get $c0_0))
            (v128.store offset=16 align=1 (local.get $cp) (local.get $c0_4))
            (local.set $cp (i32.add (local.get $cp) (local.get $nBytes)))
            (v128.store align=1 (local.get $cp) (local.get $c1_0))
            (v128.store offset=16 align=1 (local.get $cp) (local.get $c1_4))
            (local.set $cp (i32.add (local.get $cp) (local.get $nBytes)))
            (v128.store align=1 (local.get $cp) (local.get $c2_0))
            (v128.store offset=16 align=1 (local.get $cp) (local.get $c2_4))
            (local.set $cp (i32.add (local.get $cp) (local.get $nBytes)))
            (v128.store align=1 (local.get $cp) (local.get $c3_0))
            (v128.store offset=16 align=1 (local.get $cp) (local.get $c3_4))
            (local.set $cp (i32.add (local.get $cp) (local.get $nBytes)))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $eachBlock)))
        ;; the next panel: k·8 floats on
        (local.set $panel (i32.add (local.get $panel) (i32.shl (local.get $kBytes) (i32.const 3))))
        (local.set $j (i32.add (local.get $j) (i32.const 32)))
        (br $eachPanel))))
)
`;

export interface HeapGemm {
  /** Byte offsets; panels must hold k·n floats. n % 8 = 0. */
  pack(b: number, panels: number, k: number, n: number): void;
  /** Byte offsets (bias 0: none); m % 4 = 0, n % 8 = 0. */
  gemm(a: number, panels: number, c: number, bias: number, m: number, k: number, n: number): void;
}

const module = heapModule('heap-gemm.wat', HEAP_GEMM_WAT, 'await loadHeapGemm() first (installWasmKernelFixes does)');

/** Compile the module (once per process); heapGemm() needs this done. */
export const loadHeapGemm = (): Promise<void> => module.load();

/** The kernels bound to `memory` (instantiated once per memory), after loadHeapGemm(). */
export const heapGemm = (memory: WebAssembly.Memory): HeapGemm => module.exportsFor(memory) as unknown as HeapGemm;

/** Shapes the kernel takes: m rows in blocks of 4, n columns in panels of 8. */
export function gemmFits(m: number, n: number): boolean {
  return m > 0 && n > 0 && m % 4 === 0 && n % 8 === 0;
}

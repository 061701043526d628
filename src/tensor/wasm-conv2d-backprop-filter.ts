// tfjs-backend-wasm 4.x registers no Conv2DBackpropFilter kernel, so the filter gradient of any
// conv2d / conv2dTranspose fails there. This one is im2col + the stock plain (XNNPACK) matMul:
//   dW[(kh,kw,ci), co] = Σ_(b,oh,ow) x[b, oh·sh+kh−top, ow·sw+kw−left, ci] · dy[b, oh, ow, co]
// i.e. dW = colᵀ · dy with col [B·OH·OW, KH·KW·CI]. The batch is split into chunks so the
// column buffer stays below ~16 MB. NHWC only (what tfjs layers and our models use).
import { backend_util, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { transposeLastTwo } from './heap-transpose.ts';
import { disposeInfo, heapF32, type WasmBackendLike } from './wasm-heap.ts';

const MAX_COL_FLOATS = 1 << 22;

type MatMulFunc = (args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: unknown; attrs: NamedAttrMap }) => TensorInfo;

export class UnsupportedConvError extends Error {
  constructor(message: string) {
    super(`Conv2DBackpropFilter (wasm): ${message}`);
    this.name = 'UnsupportedConvError';
  }
}

/** Fill col[m, (kh·KW+kw)·CI+ci] for the batch rows b0 ≤ b < b0+nb (zero where the window hits padding). */
export function im2col(
  x: Float32Array,
  info: backend_util.Conv2DInfo,
  b0: number,
  nb: number,
  col: Float32Array,
): void {
  const { inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const K = KH * KW * CI;
  let m = 0;
  for (let b = b0; b < b0 + nb; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, m++) {
        const rowBase = m * K;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sh + kh - top;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sw + kw - left;
            const dst = rowBase + (kh * KW + kw) * CI;
            if (ih < 0 || ih >= H || iw < 0 || iw >= W) {
              col.fill(0, dst, dst + CI);
            } else {
              const src = ((b * H + ih) * W + iw) * CI;
              for (let ci = 0; ci < CI; ci++) col[dst + ci] = x[src + ci];
            }
          }
        }
      }
    }
  }
}

/** `maxColFloats` bounds the im2col buffer per chunk (tests pass a small one to force chunking). */
export function conv2dBackpropFilterConfig(plainMatMul: KernelFunc, maxColFloats = MAX_COL_FLOATS): KernelConfig {
  const matMul = plainMatMul as unknown as MatMulFunc;
  const kernelFunc = (args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs: NamedAttrMap }): TensorInfo => {
    const backend = args.backend as WasmBackendLike;
    const { x, dy } = args.inputs;
    const attrs = args.attrs as unknown as {
      strides: [number, number] | number;
      pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      filterShape: [number, number, number, number];
    };
    if (attrs.dataFormat === 'NCHW') throw new UnsupportedConvError('NCHW data format is not supported; use NHWC');
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') throw new UnsupportedConvError(`float32 only, got ${x.dtype}/${dy.dtype}`);
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad,
      attrs.dimRoundingMode, false, 'channelsLast');
    const { batchSize: B, outHeight: OH, outWidth: OW, outChannels: CO } = info;
    const K = info.filterHeight * info.filterWidth * info.inChannels;
    const perImage = OH * OW;
    const chunk = Math.max(1, Math.min(B, Math.floor(maxColFloats / (K * perImage))));
    const acc = new Float32Array(K * CO);
    const col = new Float32Array(chunk * perImage * K);
    for (let b0 = 0; b0 < B; b0 += chunk) {
      const nb = Math.min(chunk, B - b0);
      const M = nb * perImage;
      im2col(heapF32(backend, x), info, b0, nb, col);
      const colT = backend.makeOutput([K, M], 'float32');
      transposeLastTwo(col, heapF32(backend, colT), 1, M, K);
      const dyChunk = backend.makeOutput([M, CO], 'float32');
      const dyHeap = heapF32(backend, dy);
      heapF32(backend, dyChunk).set(dyHeap.subarray(b0 * perImage * CO, (b0 + nb) * perImage * CO));
      const part = matMul({ inputs: { a: colT, b: dyChunk }, backend, attrs: { transposeA: false, transposeB: false } });
      const partData = heapF32(backend, part);
      for (let i = 0; i < acc.length; i++) acc[i] += partData[i];
      disposeInfo(backend, part);
      disposeInfo(backend, colT);
      disposeInfo(backend, dyChunk);
    }
    const out = backend.makeOutput([...info.filterShape], 'float32');
    heapF32(backend, out).set(acc);
    return out;
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

// What the linear-model stages share: reading the mnist subset, its moments, provenance, params.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { readNpy } from '../io/npy.ts';
import type { ParamValue, StageContext } from '../pipeline/stage.ts';
import { dataMoments, type DataMoments } from '../models/ppca.ts';
import { tfMoments, type TfMoments } from '../models/linear-vae.ts';
import { initBackend, type BackendInfo, type BackendPreference } from '../tensor/backend.ts';

export class LinearStageInputError extends Error {
  constructor(stage: string, file: string, message: string) {
    super(`stage '${stage}': ${file}: ${message}`);
    this.name = 'LinearStageInputError';
  }
}

export interface SubsetData {
  data: Float32Array;
  rows: number;
  dim: number;
  /** The mnist stage's provenance.data (source, images, …), copied into ours. */
  dataProvenance: Record<string, unknown>;
  space: string;
}

export function readSubset(ctx: StageContext): SubsetData {
  const mnist = ctx.input('mnist');
  const file = mnist.outs.subset;
  const arr = readNpy(file);
  if (!(arr.data instanceof Float32Array) || arr.shape.length !== 2) {
    throw new LinearStageInputError(ctx.id, file, `expected float32 [N, n], found ${arr.data.constructor.name} [${arr.shape}]`);
  }
  let meta: { provenance?: { data?: Record<string, unknown> }; space?: string } = {};
  if (mnist.outs.meta) meta = JSON.parse(readFileSync(mnist.outs.meta, 'utf8'));
  return { data: arr.data, rows: arr.shape[0], dim: arr.shape[1], dataProvenance: meta.provenance?.data ?? {}, space: meta.space ?? 'unknown' };
}

export function subsetMoments(s: SubsetData): DataMoments {
  return dataMoments(s.data, s.rows, s.dim);
}

export function toTfMoments(m: DataMoments): TfMoments {
  return tfMoments(m.mean, m.cov.to1DArray(), m.dim, m.rows);
}

export function subsetTensor(s: SubsetData): tf.Tensor2D {
  return tf.tensor2d(s.data, [s.rows, s.dim]);
}

export async function stageBackend(ctx: StageContext): Promise<BackendInfo> {
  const pref = (ctx.params.backend as BackendPreference | undefined) ?? 'auto';
  const info = await initBackend(pref);
  ctx.log(`tfjs backend: ${info.name} (${info.package})${info.fallbacks.length ? `; fell back: ${info.fallbacks.join('; ')}` : ''}`);
  return info;
}

export function provenance(ctx: StageContext, s: SubsetData, backend?: BackendInfo): Record<string, unknown> {
  return {
    stage: ctx.id,
    profile: ctx.profile,
    data: { ...s.dataProvenance, space: s.space, subset_images_used: s.rows },
    backend: backend ? { name: backend.name, package: backend.package, versions: backend.versions } : { name: 'none (float64 ml-matrix)' },
    node: process.version,
    seed: ctx.seed,
  };
}

/** A typed field of a params subtree (e.g. `linear_vae.steps`), with a clear error. */
export function field<T extends ParamValue>(ctx: StageContext, tree: string, key: string, check: (v: ParamValue) => boolean, expected: string): T {
  const obj = ctx.param<Record<string, ParamValue>>(tree);
  const v = obj?.[key];
  if (v === undefined || !check(v)) throw new LinearStageInputError(ctx.id, 'pipeline.yaml', `param ${tree}.${key}: expected ${expected}, found ${JSON.stringify(v)}`);
  return v as T;
}

export const isPositiveInt = (v: ParamValue): boolean => typeof v === 'number' && Number.isInteger(v) && v > 0;
export const isPositive = (v: ParamValue): boolean => typeof v === 'number' && v > 0;
export const isIntList = (v: ParamValue): boolean => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0);

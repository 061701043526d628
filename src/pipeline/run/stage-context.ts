// The real StageContext a stage module receives, built from a JobSpec. Every accessor fails with
// a message that names the stage and what it could have asked for instead.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ParamValue, StageContext, StageInput } from '../stage.ts';
import type { JobSpec } from './job-spec.ts';

/** Thrown by ctx.skip(); the child turns it into a `skipped` result, not a failure. */
export class StageSkip extends Error {
  constructor(readonly reason: string) {
    super(`skipped: ${reason}`);
    this.name = 'StageSkip';
  }
}

export class StageContextError extends Error {
  constructor(stageId: string, message: string) {
    super(`stage ${stageId}: ${message}`);
    this.name = 'StageContextError';
  }
}

export interface ContextSinks {
  progress(fraction: number, note?: string): void;
  log(message: string): void;
}

export function createStageContext(job: JobSpec, sinks: ContextSinks): StageContext {
  const fail = (message: string): never => {
    throw new StageContextError(job.id, message);
  };
  const upstreamNames = Object.keys(job.inputs);
  const params = Object.freeze({ ...job.params });
  return {
    stage: job.stage,
    id: job.id,
    profile: job.profile,
    root: job.root,
    params,
    matrix: Object.freeze({ ...job.matrix }),
    seed: job.seed,
    outDir: job.outDir,
    out(name: string): string {
      const rel = job.outs[name];
      if (rel === undefined) fail(`ctx.out('${name}'): not a declared out; declared outs: ${Object.keys(job.outs).join(', ') || '(none)'}`);
      const p = join(job.outDir, rel);
      mkdirSync(dirname(p), { recursive: true });
      return p;
    },
    input(stage: string): StageInput {
      const list = job.inputs[stage];
      if (!list) fail(`ctx.input('${stage}'): '${stage}' is not a dep of this stage; deps: ${upstreamNames.join(', ') || '(none)'}`);
      if (list.length !== 1) fail(`ctx.input('${stage}'): ${list.length} instances of '${stage}' feed this stage (${list.map((i) => i.id).join(', ')}); use ctx.inputs('${stage}')`);
      return list[0];
    },
    inputs(stage: string): StageInput[] {
      const list = job.inputs[stage];
      if (!list) fail(`ctx.inputs('${stage}'): '${stage}' is not a dep of this stage; deps: ${upstreamNames.join(', ') || '(none)'}`);
      return list;
    },
    param<T extends ParamValue = ParamValue>(name: string): T {
      if (!Object.hasOwn(params, name)) {
        fail(`ctx.param('${name}'): not declared; add it to the stage's params in pipeline.yaml (declared: ${Object.keys(params).join(', ') || '(none)'})`);
      }
      return params[name] as T;
    },
    progress(fraction: number, note?: string): void {
      if (!Number.isFinite(fraction)) return;
      sinks.progress(Math.min(1, Math.max(0, fraction)), note);
    },
    log(message: string): void {
      sinks.log(message);
    },
    skip(reason: string): never {
      throw new StageSkip(reason);
    },
  };
}

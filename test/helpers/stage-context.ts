// A real StageContext for calling a stage's run() directly in a test, without the engine.
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ParamValue, StageContext, StageInput } from '../../src/pipeline/stage.ts';

export interface TestContextOptions {
  stage: string;
  params?: Record<string, ParamValue>;
  matrix?: Record<string, ParamValue>;
  outs: Record<string, string>;
  inputs?: Record<string, StageInput[]>;
  seed?: number;
  profile?: string;
}

export interface TestContext extends StageContext {
  progressEvents: { fraction: number; note?: string }[];
  logLines: string[];
}

export class TestStageSkipped extends Error {}

export function makeTestContext(opts: TestContextOptions): TestContext {
  const outDir = mkdtempSync(join(tmpdir(), `stage-${opts.stage}-`));
  const params = { ...(opts.params ?? {}), ...(opts.matrix ?? {}) };
  const progressEvents: { fraction: number; note?: string }[] = [];
  const logLines: string[] = [];
  const inputs = opts.inputs ?? {};
  return {
    stage: opts.stage,
    id: opts.stage,
    profile: opts.profile ?? 'smoke',
    root: resolve('.'),
    params,
    matrix: opts.matrix ?? {},
    seed: opts.seed ?? 1234,
    outDir,
    out(name) {
      const rel = opts.outs[name];
      if (rel === undefined) throw new Error(`undeclared out '${name}'`);
      const p = join(outDir, rel);
      mkdirSync(dirname(p), { recursive: true });
      return p;
    },
    input(stage) {
      const list = inputs[stage] ?? [];
      if (list.length !== 1) throw new Error(`expected one input from '${stage}', have ${list.length}`);
      return list[0];
    },
    inputs: (stage) => inputs[stage] ?? [],
    param<T extends ParamValue>(name: string): T {
      if (!(name in params)) throw new Error(`undeclared param '${name}'`);
      return params[name] as T;
    },
    progress: (fraction, note) => void progressEvents.push({ fraction, note }),
    log: (m) => void logLines.push(m),
    skip(reason): never {
      throw new TestStageSkipped(reason);
    },
    progressEvents,
    logLines,
  };
}

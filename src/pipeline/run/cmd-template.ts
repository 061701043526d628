// `cmd:` stages: the placeholders a command may use and the environment it gets.
//
// Placeholders (replaced by shell-quoted values; anything else, e.g. `${HOME}`, is left alone):
//   {out:NAME}        absolute path of declared out NAME          {outdir}  the out directory
//   {in:STAGE:OUT}    absolute path of out OUT of upstream STAGE (exactly one instance)
//   {param:NAME}      a declared param or matrix value (strings raw, other values as JSON)
//   {seed} {id} {stage} {profile} {root}
// Environment: PIPELINE_STAGE, PIPELINE_ID, PIPELINE_PROFILE, PIPELINE_ROOT, PIPELINE_OUT_DIR,
//   PIPELINE_OUTS (JSON name → path), PIPELINE_PARAMS (JSON), PIPELINE_MATRIX (JSON),
//   PIPELINE_INPUTS (JSON stage → [{id, stage, matrix, outs, skipped?, fingerprint}]),
//   PIPELINE_SEED, PIPELINE_EVENTS (a file the command may append progress lines to:
//   {"t":"progress","fraction":0.5,"note":"..."}).
import { join } from 'node:path';
import type { JobSpec } from './job-spec.ts';

export class CmdTemplateError extends Error {}

export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function expandCmd(template: string, job: JobSpec): string {
  return template.replace(/(?<!\$)\{(out|in|param):([^{}]+)\}|(?<!\$)\{(outdir|seed|id|stage|profile|root)\}/g, (whole, kind?: string, arg?: string, simple?: string) => {
    if (simple) {
      const v = { outdir: job.outDir, seed: String(job.seed), id: job.id, stage: job.stage, profile: job.profile, root: job.root }[simple]!;
      return shellQuote(v);
    }
    if (kind === 'out') {
      const rel = job.outs[arg!];
      if (rel === undefined) throw new CmdTemplateError(`${whole}: no declared out '${arg}' (outs: ${Object.keys(job.outs).join(', ')})`);
      return shellQuote(join(job.outDir, rel));
    }
    if (kind === 'param') {
      if (!(arg! in job.params)) throw new CmdTemplateError(`${whole}: '${arg}' is not a declared param (declared: ${Object.keys(job.params).join(', ')})`);
      const v = job.params[arg!];
      return shellQuote(typeof v === 'string' ? v : JSON.stringify(v));
    }
    const [stage, out] = arg!.split(':');
    const list = job.inputs[stage] ?? [];
    if (list.length !== 1) throw new CmdTemplateError(`${whole}: expected exactly one instance of upstream '${stage}', have ${list.length}`);
    const input = list[0];
    if (input.skipped) throw new CmdTemplateError(`${whole}: upstream ${input.id} skipped itself (${input.skipped})`);
    if (out === undefined) throw new CmdTemplateError(`${whole}: name the out, as {in:${stage}:OUT} (outs: ${Object.keys(input.outs).join(', ')})`);
    const p = input.outs[out];
    if (p === undefined) throw new CmdTemplateError(`${whole}: upstream '${stage}' has no out '${out}' (outs: ${Object.keys(input.outs).join(', ')})`);
    return shellQuote(p);
  });
}

export function cmdEnv(job: JobSpec): Record<string, string> {
  return {
    PIPELINE_STAGE: job.stage,
    PIPELINE_ID: job.id,
    PIPELINE_PROFILE: job.profile,
    PIPELINE_ROOT: job.root,
    PIPELINE_OUT_DIR: job.outDir,
    PIPELINE_OUTS: JSON.stringify(Object.fromEntries(Object.entries(job.outs).map(([n, rel]) => [n, join(job.outDir, rel)]))),
    PIPELINE_PARAMS: JSON.stringify(job.params),
    PIPELINE_MATRIX: JSON.stringify(job.matrix),
    PIPELINE_INPUTS: JSON.stringify(job.inputs),
    PIPELINE_SEED: String(job.seed),
    PIPELINE_EVENTS: job.eventsPath,
  };
}

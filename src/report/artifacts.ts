// Reads the upstream artifacts named in docs/artifacts.md into plain typed rows. Outs are found
// by file name (e.g. `ppca.csv`) so the report does not depend on what each stage calls its outs.
// A stage that skipped itself, or is not wired in, becomes a recorded reason instead of data.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as aq from 'arquero';
import type { StageInput } from '../pipeline/stage.ts';

export type InputsOf = (stage: string) => StageInput[];

export class ArtifactError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ArtifactError';
  }
}

export function findOut(input: StageInput, fileName: string): string | undefined {
  if (input.outs[fileName]) return input.outs[fileName];
  return Object.values(input.outs).find((p) => basename(p) === fileName);
}

export function readCsv(file: string, required: string[] = []): Record<string, unknown>[] {
  const table = aq.fromCSV(readFileSync(file, 'utf8'), { autoType: true });
  const cols = table.columnNames();
  const missing = required.filter((c) => !cols.includes(c));
  if (missing.length) throw new ArtifactError(file, `missing column(s) ${missing.join(', ')}; found ${cols.join(', ')}`);
  // A trailing blank line parses as a row of nulls: drop such rows rather than plot them.
  return (table.objects() as Record<string, unknown>[]).filter((r) => Object.values(r).some((v) => v !== null && v !== undefined && v !== ''));
}

export function readJson<T = Record<string, unknown>>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (err) {
    throw new ArtifactError(file, `not valid JSON: ${(err as Error).message}`);
  }
}

/** Rows of an optional artifact, or a reason why there are none. */
export type Maybe<T> = { ok: true; value: T; from: string } | { ok: false; why: string };

export function none<T>(why: string): Maybe<T> {
  return { ok: false, why };
}

/**
 * Locate `fileName` among the instances of `stage`: the first instance that has it.
 * Reasons: stage not wired, every instance skipped (with the stage's own words), file absent.
 */
export function locate(inputsOf: InputsOf, stage: string, fileName: string): Maybe<string> {
  const list = inputsOf(stage);
  if (list.length === 0) return none(`stage '${stage}' is not an input of this stage`);
  const live = list.filter((i) => !i.skipped);
  if (live.length === 0) return none(`stage '${stage}' skipped: ${list[0].skipped}`);
  for (const inst of live) {
    const p = findOut(inst, fileName);
    if (p && existsSync(p)) return { ok: true, value: p, from: inst.id };
  }
  return none(`stage '${stage}' wrote no ${fileName}`);
}

export function loadCsv<T>(inputsOf: InputsOf, stage: string, fileName: string, required: string[]): Maybe<T[]> {
  const at = locate(inputsOf, stage, fileName);
  if (!at.ok) return at;
  return { ok: true, value: readCsv(at.value, required) as T[], from: at.value };
}

export function loadJson<T>(inputsOf: InputsOf, stage: string, fileName: string): Maybe<T> {
  const at = locate(inputsOf, stage, fileName);
  if (!at.ok) return at;
  return { ok: true, value: readJson<T>(at.value), from: at.value };
}

/** One JSON per live instance of a matrix stage (e.g. linear-vae metrics.json for every k). */
export function loadJsonAll<T>(inputsOf: InputsOf, stage: string, fileName: string): Maybe<{ id: string; value: T }[]> {
  const list = inputsOf(stage);
  if (list.length === 0) return none(`stage '${stage}' is not an input of this stage`);
  const live = list.filter((i) => !i.skipped);
  if (live.length === 0) return none(`stage '${stage}' skipped: ${list[0].skipped}`);
  const out: { id: string; value: T }[] = [];
  for (const inst of live) {
    const p = findOut(inst, fileName);
    if (p && existsSync(p)) out.push({ id: inst.id, value: readJson<T>(p) });
  }
  if (out.length === 0) return none(`stage '${stage}' wrote no ${fileName}`);
  return { ok: true, value: out, from: stage };
}

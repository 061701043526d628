import { describe, expect, test } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cmdEnv, expandCmd } from '../../../../src/pipeline/run/cmd-template.ts';
import type { JobSpec } from '../../../../src/pipeline/run/job-spec.ts';
import { deriveSeed } from '../../../../src/pipeline/run/seed.ts';
import { StageSkip, createStageContext } from '../../../../src/pipeline/run/stage-context.ts';
import { EventsReader, appendEvent } from '../../../../src/pipeline/run/events-file.ts';
import { appendFileSync } from 'node:fs';

const outDir = mkdtempSync(join(tmpdir(), 'ctx-'));
const job: JobSpec = {
  format: 1,
  stage: 'fit',
  id: 'fit[k=2]',
  profile: 'smoke',
  root: '/proj',
  cmd: 'x',
  params: { 'deep_vae.width': 64, k: 2, name: "it's" },
  matrix: { k: 2 },
  seed: 99,
  outDir,
  outs: { model: 'model.npy', meta: 'sub/meta.json' },
  inputs: { data: [{ id: 'data', stage: 'data', matrix: {}, outs: { train: '/store/ab/train.npy' }, fingerprint: 'f' }], fan: [] },
  eventsPath: join(outDir, 'events.jsonl'),
};

describe('createStageContext', () => {
  const events: unknown[] = [];
  const ctx = createStageContext(job, { progress: (f, n) => events.push([f, n]), log: () => {} });

  test('out() gives paths inside outDir (creating dirs) and rejects undeclared names', () => {
    expect(ctx.out('meta')).toBe(join(outDir, 'sub/meta.json'));
    expect(() => ctx.out('nope')).toThrow(/ctx\.out\('nope'\): not a declared out; declared outs: model, meta/);
  });
  test('param() returns declared values and names the declared ones otherwise', () => {
    expect(ctx.param<number>('deep_vae.width')).toBe(64);
    expect(() => ctx.param('deep_vae.depth')).toThrow(/not declared.*deep_vae\.width, k, name/);
  });
  test('input()/inputs() check the dep exists and how many instances feed in', () => {
    expect(ctx.input('data').outs.train).toBe('/store/ab/train.npy');
    expect(ctx.inputs('fan')).toEqual([]);
    expect(() => ctx.input('fan')).toThrow(/0 instances of 'fan'/);
    expect(() => ctx.input('nope')).toThrow(/'nope' is not a dep of this stage; deps: data, fan/);
  });
  test('progress is clamped; skip throws a StageSkip carrying the reason', () => {
    ctx.progress(1.5, 'done');
    expect(events).toEqual([[1, 'done']]);
    expect(() => ctx.skip('no data')).toThrow(StageSkip);
    expect(ctx.seed).toBe(99);
    expect(ctx.params.k).toBe(2);
  });
});

describe('cmd stages', () => {
  test('placeholders expand to quoted values; unknown names are errors; ${VAR} is left alone', () => {
    const cmd = expandCmd('run {param:k} {param:name} > {out:model} < {in:data:train} # ${HOME} {seed} {id}', job);
    expect(cmd).toBe(`run 2 'it'\\''s' > ${join(outDir, 'model.npy')} < /store/ab/train.npy # \${HOME} 99 'fit[k=2]'`);
    expect(() => expandCmd('{out:nope}', job)).toThrow(/no declared out 'nope'/);
    expect(() => expandCmd('{param:zzz}', job)).toThrow(/not a declared param/);
    expect(() => expandCmd('{in:fan:x}', job)).toThrow(/exactly one instance/);
  });
  test('the environment carries outs, params, inputs and seed as JSON', () => {
    const env = cmdEnv(job);
    expect(JSON.parse(env.PIPELINE_OUTS).meta).toBe(join(outDir, 'sub/meta.json'));
    expect(JSON.parse(env.PIPELINE_PARAMS)['deep_vae.width']).toBe(64);
    expect(JSON.parse(env.PIPELINE_INPUTS).data[0].id).toBe('data');
    expect(env.PIPELINE_SEED).toBe('99');
  });
});

describe('seeds and events', () => {
  test('deriveSeed is stable, 32-bit, and differs by instance and profile seed', () => {
    const s = deriveSeed(0, 'fit[k=1]');
    expect(s).toBe(deriveSeed(0, 'fit[k=1]'));
    expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
    expect(deriveSeed(0, 'fit[k=2]')).not.toBe(s);
    expect(deriveSeed(1, 'fit[k=1]')).not.toBe(s);
  });
  test('the events reader returns only new complete lines', () => {
    const path = join(outDir, 'ev.jsonl');
    const r = new EventsReader(path);
    expect(r.readNew()).toEqual([]);
    appendEvent(path, { t: 'progress', at: 1, fraction: 0.5 });
    appendFileSync(path, '{"t":"progress","at":2,');
    expect(r.readNew()).toEqual([{ t: 'progress', at: 1, fraction: 0.5 }]);
    appendFileSync(path, '"fraction":1}\nnot json\n');
    expect(r.readNew()).toEqual([{ t: 'progress', at: 2, fraction: 1 }]);
  });
});

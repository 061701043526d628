// Stages run as esbuild bundles; a module that reads a file next to itself through
// import.meta.url / import.meta.dirname must still find it (regression: table1 read
// paper-table1.csv from .pipeline/bundles/).
import { afterAll, expect, test } from '@jest/globals';
import { ToyProject } from './toy-project.ts';

const project = new ToyProject({
  'pipeline.yaml': `version: 1
default_profile: quick
profiles: { quick: {} }
params: { seed: 0 }
stages:
  reads-neighbour:
    run: stages/reads-neighbour.ts
    outs: { out: out.txt }
`,
  'src/reference/values.csv': 'a,b\n1,2\n',
  'src/reference/load.ts': `import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
export const viaUrl = () => readFileSync(fileURLToPath(new URL('./values.csv', import.meta.url)), 'utf8');
export const viaDirname = () => readFileSync(import.meta.dirname + '/values.csv', 'utf8');
`,
  'stages/reads-neighbour.ts': `import { writeFileSync } from 'node:fs';
import { viaDirname, viaUrl } from '../src/reference/load.ts';
export function run(ctx: any) { writeFileSync(ctx.out('out'), viaUrl() + '|' + viaDirname()); }
`,
});

afterAll(() => project.cleanup());

test('an inlined module keeps its own import.meta.url and dirname', async () => {
  const res = await project.run('run');
  expect(res.stderr + res.stdout).toMatch(/1 ran, 0 cached, 0 skipped, 0 failed/);
  expect(project.read('artifacts/reads-neighbour/out.txt')).toBe('a,b\n1,2\n|a,b\n1,2\n');
});

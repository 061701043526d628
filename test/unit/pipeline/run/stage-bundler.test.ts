import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StageFailedError } from '../../../../src/pipeline/errors.ts';
import { StageBundler } from '../../../../src/pipeline/run/stage-bundler.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function project(): { root: string; code: Record<string, string> } {
  const root = mkdtempSync(join(tmpdir(), 'bundler-'));
  const files = {
    'stages/s.ts': `import { twice } from '../src/helper.ts';\nexport const run = () => twice(2);\n`,
    'src/helper.ts': `export const twice = (x: number) => 2 * x;\n`,
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return { root, code: Object.fromEntries(Object.entries(files).map(([rel, text]) => [rel, sha(text)])) };
}

describe('StageBundler', () => {
  test('bundles a stage with its local imports, once per code hash', async () => {
    const { root, code } = project();
    const bundler = new StageBundler(root, join(root, '.pipeline/bundles'));
    const out = await bundler.bundleFor('stages/s.ts', code);
    expect(readFileSync(out, 'utf8')).toContain('2 * x');
    expect(await bundler.bundleFor('stages/s.ts', code)).toBe(out);
  });

  test('a source edited after the fingerprint was taken fails, naming the file, and leaves no bundle', async () => {
    const { root, code } = project();
    writeFileSync(join(root, 'src/helper.ts'), `export const twice = (x: number) => 3 * x;\n`);
    const bundler = new StageBundler(root, join(root, '.pipeline/bundles'));
    const attempt = bundler.bundleFor('stages/s.ts', code);
    await expect(attempt).rejects.toBeInstanceOf(StageFailedError);
    await expect(bundler.bundleFor('stages/s.ts', code)).rejects.toThrow(/src\/helper\.ts changed after this run computed the stage's fingerprint/);
  });
});

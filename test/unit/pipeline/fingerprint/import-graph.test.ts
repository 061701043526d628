import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FileHasher } from '../../../../src/pipeline/fingerprint/file-hasher.ts';
import { ImportGraphResolver, packageName } from '../../../../src/pipeline/fingerprint/import-graph.ts';
import { PackageVersions } from '../../../../src/pipeline/fingerprint/package-versions.ts';

const root = mkdtempSync(join(tmpdir(), 'graph-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const w = (rel: string, text: string) => {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
};
symlinkSync(resolve('node_modules'), join(root, 'node_modules'));
w('stages/a.ts', `import { f } from '../src/f.ts';\nimport { parse } from 'yaml';\nimport { readFileSync } from 'node:fs';\nexport const run = () => f(parse('1'), readFileSync);\n`);
w('stages/b.ts', `export const run = () => 1;\n`);
w('src/f.ts', `import { g } from './deep/g.ts';\nimport type { Thing } from './types.ts';\nexport const f = (x: unknown, y: unknown): Thing => g(x, y);\n`);
w('src/deep/g.ts', `import * as aq from 'arquero';\nexport const g = (x: unknown, y: unknown) => [x, y, aq];\n`);
w('src/types.ts', `export type Thing = unknown;\n`);
w('README.md', '# not code\n');

describe('ImportGraphResolver', () => {
  test('finds transitive local imports and the packages they use; caches by content', async () => {
    const cache = join(root, '.pipeline/graph.json');
    const hasher = new FileHasher(null);
    const r1 = new ImportGraphResolver(root, hasher, cache);
    const graphs = await r1.resolve(['stages/a.ts', 'stages/b.ts']);
    const a = graphs.get('stages/a.ts')!;
    expect(Object.keys(a.files).sort()).toEqual(['src/deep/g.ts', 'src/f.ts', 'stages/a.ts']); // type-only imports vanish
    expect(a.packages).toEqual(['arquero', 'yaml']);
    expect(Object.keys(graphs.get('stages/b.ts')!.files)).toEqual(['stages/b.ts']);
    expect(r1.buildCount).toBe(1);
    r1.save();

    const r2 = new ImportGraphResolver(root, new FileHasher(null), cache);
    await r2.resolve(['stages/a.ts', 'stages/b.ts']);
    expect(r2.buildCount).toBe(0); // nothing changed: no esbuild

    appendFileSync(join(root, 'src/deep/g.ts'), `import './extra.ts';\n`);
    w('src/deep/extra.ts', `export {};\n`);
    const r3 = new ImportGraphResolver(root, new FileHasher(null), cache);
    const again = await r3.resolve(['stages/a.ts', 'stages/b.ts']);
    expect(r3.buildCount).toBe(1);
    expect(Object.keys(again.get('stages/a.ts')!.files)).toContain('src/deep/extra.ts');
  });

  test('a syntax error is reported with its file and line', async () => {
    w('stages/broken.ts', `export const run = ( => 1;\n`);
    const r = new ImportGraphResolver(root, new FileHasher(null), null);
    await expect(r.resolve(['stages/broken.ts'])).rejects.toThrow(/stages\/broken\.ts:1:\d+/);
  });
});

describe('packageName / PackageVersions', () => {
  test('maps specifiers to package names', () => {
    expect(packageName('yaml')).toBe('yaml');
    expect(packageName('@tensorflow/tfjs-core/dist/x.js')).toBe('@tensorflow/tfjs-core');
    expect(packageName('node:fs')).toBeNull();
    expect(packageName('fs')).toBeNull();
    expect(packageName('./x.ts')).toBeNull();
  });

  test('reads installed versions; a missing package is recorded as such', () => {
    const v = new PackageVersions(root);
    expect(v.version('yaml')).toMatch(/^\d+\.\d+\.\d+/);
    expect(v.version('no-such-package-here')).toBe('not-installed');
  });
});

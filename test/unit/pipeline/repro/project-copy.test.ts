import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { copyProject, listProjectFiles } from '../../../../src/pipeline/repro/project-copy.ts';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(git: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'copy-src-'));
  made.push(dir);
  const files: Record<string, string> = {
    'pipeline.yaml': 'version: 1\n',
    'pipeline.lock': 'schema: 1\n',
    'stages/a.ts': 'export {};\n',
    'artifacts/.store/ab/x/out.txt': 'stored',
    '.pipeline/stat-cache.json': '{}',
    'node_modules/pkg/index.js': '',
    'data/mnist/train.gz': 'raw',
    'reports/index.html': '<html>',
    '.gitignore': 'artifacts/\n.pipeline/\nnode_modules/\ndata/\nreports/\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  if (git) execFileSync('git', ['init', '-q', dir]);
  return dir;
}

describe('copyProject', () => {
  test('in a git work tree: what git would commit, minus the lock; node_modules and data linked, never the store or engine state', () => {
    const src = project(true);
    expect(listProjectFiles(src).by).toBe('git');
    const copy = copyProject(src, { link: ['node_modules', 'data'] });
    made.push(copy.dir);
    expect(copy.files.sort()).toEqual(['.gitignore', 'pipeline.yaml', 'stages/a.ts']);
    expect(readFileSync(join(copy.dir, 'stages/a.ts'), 'utf8')).toBe('export {};\n');
    expect(existsSync(join(copy.dir, 'pipeline.lock'))).toBe(false);
    expect(existsSync(join(copy.dir, 'artifacts'))).toBe(false);
    expect(existsSync(join(copy.dir, 'reports'))).toBe(false);
    expect(lstatSync(join(copy.dir, 'node_modules')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(copy.dir, 'data/mnist/train.gz'), 'utf8')).toBe('raw');
    copy.remove();
    expect(existsSync(copy.dir)).toBe(false);
    expect(existsSync(join(src, 'data/mnist/train.gz'))).toBe(true); // removing a copy leaves linked data alone
  });

  test('outside git: a walk that still skips the store, engine state, node_modules and the lock', () => {
    const src = project(false);
    const copy = copyProject(src);
    made.push(copy.dir);
    expect(copy.listedBy).toBe('walk');
    expect(copy.files).not.toContain('pipeline.lock');
    expect(copy.files.some((f) => f.startsWith('artifacts/') || f.startsWith('.pipeline/') || f.startsWith('node_modules/'))).toBe(false);
    expect(copy.files).toContain('stages/a.ts');
  });
});

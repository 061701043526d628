// A throwaway project in a temp dir with its own pipeline.yaml and toy stages, driven through the
// real CLI (bin/pipeline.mjs). Stages append `<id>` lines to runs.log so a test can see exactly
// which instances ran; the engine's own output is checked separately.
import { execa, type ResultPromise } from 'execa';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../../..');
const BIN = join(REPO, 'bin/pipeline.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class ToyProject {
  readonly dir: string;

  constructor(files: Record<string, string>) {
    this.dir = mkdtempSync(join(tmpdir(), 'pipeline-toy-'));
    symlinkSync(join(REPO, 'node_modules'), join(this.dir, 'node_modules'));
    for (const [rel, text] of Object.entries(files)) this.write(rel, text);
  }

  path(rel: string): string {
    return join(this.dir, rel);
  }

  write(rel: string, text: string): void {
    mkdirSync(dirname(this.path(rel)), { recursive: true });
    writeFileSync(this.path(rel), text);
  }

  append(rel: string, text: string): void {
    appendFileSync(this.path(rel), text);
  }

  read(rel: string): string {
    return readFileSync(this.path(rel), 'utf8');
  }

  exists(rel: string): boolean {
    return existsSync(this.path(rel));
  }

  /** Instance ids the stages recorded since the last call (in order), then clears the record. */
  ran(): string[] {
    const file = this.path('runs.log');
    if (!existsSync(file)) return [];
    const ids = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    rmSync(file);
    return ids;
  }

  spawn(args: string[]): ResultPromise<{ cwd: string; reject: false; env: Record<string, string> }> {
    return execa('node', [BIN, ...args], { cwd: this.dir, reject: false, env: { CI: '1' } });
  }

  async run(...args: string[]): Promise<CliResult> {
    const res = await this.spawn(args);
    return { code: res.exitCode ?? -1, stdout: String(res.stdout), stderr: String(res.stderr) };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A stage module that records its run and writes `body` (a JS expression of ctx) to out `out`. */
export function recordingStage(body: string, imports = ''): string {
  return `import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
${imports}
export async function run(ctx: any) {
  appendFileSync(join(ctx.root, 'runs.log'), ctx.id + '\\n');
  const read = (p: string) => readFileSync(p, 'utf8');
  writeFileSync(ctx.out('out'), String(${body}));
}
`;
}

export const sorted = (xs: string[]): string[] => [...xs].sort();

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync as mkdtempRaw, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WorkspaceBusyError } from '../../../src/pipeline/errors.ts';
import { acquireWorkspaceLock, WORKSPACE_LOCK_FILE } from '../../../src/pipeline/workspace-lock.ts';

const here = dirname(fileURLToPath(import.meta.url));
const moduleUrl = pathToFileURL(resolve(here, '../../../src/pipeline/workspace-lock.ts')).href;
const projectRoot = resolve(here, '../../..');

/** A real node process that takes the lock, says `held`, and keeps it until stdin closes. */
function childHolding(dir: string, holdForever: boolean): Promise<{ child: ChildProcess; output: () => string }> {
  const script = `
    import { acquireWorkspaceLock } from ${JSON.stringify(moduleUrl)};
    acquireWorkspaceLock(${JSON.stringify(dir)});
    console.log('held');
    ${holdForever ? "process.stdin.resume(); process.stdin.on('end', () => process.exit(0));" : ''}
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: projectRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((ok, fail) => {
    child.stdout!.on('data', () => out.includes('held') && ok({ child, output: () => out }));
    child.on('exit', (code) => (code === 0 && out.includes('held') ? ok({ child, output: () => out }) : fail(new Error(`child exited ${code}: ${out}`))));
  });
}

const made: string[] = [];
const mkdtempSync = (prefix: string): string => {
  const dir = mkdtempRaw(prefix);
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const exited = (child: ChildProcess) => new Promise<void>((ok) => (child.exitCode !== null || child.signalCode !== null ? ok() : child.on('exit', () => ok())));

describe('workspace lock', () => {
  it('refuses a second run while a live process holds it, then takes over once that process is killed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wslock-'));
    const { child } = await childHolding(dir, true);
    try {
      expect(() => acquireWorkspaceLock(dir)).toThrow(WorkspaceBusyError);
      expect(() => acquireWorkspaceLock(dir)).toThrow(`pid ${child.pid}`);
    } finally {
      child.kill('SIGKILL'); // no exit handler runs: the lock file stays behind, stale
      await exited(child);
    }
    expect(JSON.parse(readFileSync(join(dir, WORKSPACE_LOCK_FILE), 'utf8')).pid).toBe(child.pid);
    const lines: string[] = [];
    const lock = acquireWorkspaceLock(dir, { log: (l) => lines.push(l) });
    expect(lock.tookOver?.pid).toBe(child.pid);
    expect(lines.join('\n')).toContain(`took over a stale lock from pid ${child.pid}`);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toEqual({ pid: process.pid, host: hostname(), started: lock.holder.started });
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('takes over a lock left by a dead pid, and is free again after release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wslock-'));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // exited: its pid is no longer running
    writeFileSync(join(dir, WORKSPACE_LOCK_FILE), JSON.stringify({ pid: dead, host: hostname(), started: '2020-01-01T00:00:00.000Z' }));
    const lock = acquireWorkspaceLock(dir, { log: () => {} });
    expect(lock.tookOver).toEqual({ pid: dead, host: hostname(), started: '2020-01-01T00:00:00.000Z' });
    expect(() => acquireWorkspaceLock(dir)).toThrow('this process');
    lock.release();
    lock.release(); // idempotent
    const again = acquireWorkspaceLock(dir);
    expect(again.tookOver).toBeUndefined();
    again.release();
  });

  it('counts a lock from another host as live (its pid cannot be checked from here)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wslock-'));
    writeFileSync(join(dir, WORKSPACE_LOCK_FILE), JSON.stringify({ pid: 1, host: 'elsewhere.example', started: 'x' }));
    expect(() => acquireWorkspaceLock(dir)).toThrow('pid 1 on elsewhere.example');
  });

  it('is released when the holding process exits normally', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wslock-'));
    const { child } = await childHolding(dir, false);
    await exited(child);
    expect(child.exitCode).toBe(0);
    expect(existsSync(join(dir, WORKSPACE_LOCK_FILE))).toBe(false);
  });
});

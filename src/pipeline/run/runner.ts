// Runs a Plan: decides per instance (fingerprint + lock + store check → Reason), launches what
// must run through an Executor (at most -j cores at once), publishes results into the store,
// records them in pipeline.lock as each finishes, and updates the artifacts/ views. Fingerprints
// of dependents use their upstreams' fresh out hashes, so byte-identical outputs cut off early.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Plan, StageInstance } from '../plan-types.ts';
import type { StageInput } from '../stage.ts';
import { StageFailedError } from '../errors.ts';
import { FileHasher } from '../fingerprint/file-hasher.ts';
import { ImportGraphResolver } from '../fingerprint/import-graph.ts';
import { PackageVersions } from '../fingerprint/package-versions.ts';
import { gatherCodeFacts, type CodeFacts } from '../fingerprint/code-facts.ts';
import { ENGINE_FORMAT_VERSION, fingerprintOf, type Fingerprint, type InputFacts } from '../fingerprint/fingerprint.ts';
import { ArtifactStore } from '../store/artifact-store.ts';
import { instanceFileName, layoutFor, type Layout } from '../store/layout.ts';
import { readLock, writeLock, type LockFile, type LockRecord } from '../store/lock-file.ts';
import { outHashes } from '../store/out-manifest.ts';
import { mirrorOuts } from '../store/publish-mirror.ts';
import { pointLogView, pointView, pruneMatrixViews } from '../store/views.ts';
import { enginePaths } from './engine-paths.ts';
import type { Executor, JobResult } from './executor.ts';
import { JOB_FORMAT, type JobSpec } from './job-spec.ts';
import { LocalExecutor } from './local-executor.ts';
import { summarise, type Outcome, type RunSummary } from './outcome.ts';
import { decide } from './planner.ts';
import { isStale, type Reason } from './reason.ts';
import { silentReporter, type Reporter } from './reporter.ts';
import { deriveSeed } from './seed.ts';
import { dependentsOf, selectInstances } from './select.ts';
import { readLogTail } from './log-tail.ts';
import { StageBundler } from './stage-bundler.ts';

export interface RunOptions {
  plan: Plan;
  targets?: string[];
  /** Max cores in use at once (default: os.availableParallelism()). */
  jobs?: number;
  /** Stage names or instance ids to rerun even if up to date. */
  force?: string[];
  keepGoing?: boolean;
  /** Decide only: nothing runs, nothing is written (status, why, --dry-run). */
  dryRun?: boolean;
  /** Rehash every file instead of trusting the stat cache. */
  verify?: boolean;
  executor?: Executor;
  reporter?: Reporter;
  /** Aborting stops launching, cancels running jobs and ends the run as interrupted. */
  signal?: AbortSignal;
}

interface Ready {
  inst: StageInstance;
  fingerprint: Fingerprint;
  reason: Reason;
}

export async function runPlan(opts: RunOptions): Promise<RunSummary> {
  const t0 = Date.now();
  const { plan } = opts;
  const dryRun = opts.dryRun ?? false;
  const jobs = Math.max(1, opts.jobs ?? availableParallelism());
  const reporter = opts.reporter ?? silentReporter;
  const layout = layoutFor(plan.root);
  const hasher = new FileHasher(join(layout.state, 'stat-cache.json'), opts.verify ?? false);
  const graphs = new ImportGraphResolver(plan.root, hasher, join(layout.state, 'import-graph.json'));
  const store = new ArtifactStore(layout, hasher);
  const lock = await readLock(layout.lockFile, layout.state);
  const records = (lock.profiles[plan.profile] ??= {});
  const selected = selectInstances(plan, opts.targets ?? []);
  const force = new Set(opts.force ?? []);
  const executor = opts.executor ?? new LocalExecutor();

  if (!dryRun) removeTempLeftovers(layout);
  const specs = [...new Map(selected.map((i) => [i.stage, i.spec])).values()];
  const codeFacts = await gatherCodeFacts(plan.root, specs, graphs, hasher, new PackageVersions(plan.root));

  const outcomes = new Map<string, Outcome>();
  const readyQueue: Ready[] = [];
  const running = new Map<string, Promise<void>>();
  let cpusInUse = 0;
  let stopLaunching = false;
  let interrupted = false;
  let lockDirty = false;

  // Saves are chained so two finishing jobs never write the lock out of order.
  let saving: Promise<void> = Promise.resolve();
  const saveState = (): Promise<void> => {
    saving = saving.then(async () => {
      // Caches are saved even on a dry run (they only speed things up); the lock never is.
      if (lockDirty && !dryRun) {
        lockDirty = false;
        await writeLock(layout.lockFile, layout.state, lock);
      }
      hasher.save();
      graphs.save();
    });
    return saving;
  };

  const onAbort = () => {
    interrupted = true;
    stopLaunching = true;
    void executor.cancelAll();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) onAbort();

  reporter.begin(selected.length);

  /** What a dependent sees of a settled upstream: fresh record, or (dry run) the old one. */
  const recordFor = (id: string): LockRecord | undefined => {
    const o = outcomes.get(id);
    if (o && (o.kind === 'ran' || o.kind === 'cached')) return o.record;
    if (o && o.kind === 'would-run') return o.record;
    return undefined;
  };

  const fingerprintFor = (inst: StageInstance, facts: CodeFacts): Fingerprint => {
    const inputs: Record<string, InputFacts> = {};
    for (const dep of inst.deps) {
      const rec = recordFor(dep);
      inputs[dep] = !rec ? { outs: {} } : rec.status === 'skipped' ? { skipped: rec.reason ?? '' } : { outs: outHashes(rec.outs) };
    }
    return fingerprintOf({
      engine: ENGINE_FORMAT_VERSION,
      kind: inst.spec.run ? 'module' : 'cmd',
      ...(inst.spec.cmd !== undefined ? { cmd: inst.spec.cmd } : {}),
      code: facts.code,
      packages: facts.packages,
      params: inst.params,
      seed: deriveSeed(plan.seed, inst.id),
      inputs,
      outs: inst.spec.outs,
    });
  };

  const adoptCached = (inst: StageInstance, record: LockRecord) => {
    outcomes.set(inst.id, { kind: 'cached', record });
    reporter.cached(inst.id);
    if (dryRun) return;
    const logFile = join(layout.logs, `${instanceFileName(inst)}.log`);
    if (record.status === 'ok') {
      const dir = store.entryPath(record.entry!);
      pointView(layout, inst, dir);
      mirrorOuts(plan.root, inst, dir, record.outs, hasher);
    } else pointView(layout, inst, null);
    if (hasFile(logFile)) pointLogView(layout, inst, logFile);
  };

  const evaluate = (inst: StageInstance) => {
    const depOutcomes = inst.deps.map((d) => [d, outcomes.get(d)!] as const);
    const bad = depOutcomes.find(([, o]) => o.kind === 'failed' || o.kind === 'blocked' || o.kind === 'cancelled');
    if (bad) {
      outcomes.set(inst.id, { kind: 'blocked', by: bad[1].kind === 'blocked' ? bad[1].by : bad[0] });
      return;
    }
    const fingerprint = fingerprintFor(inst, codeFacts.get(inst.stage)!);
    const record = records[inst.id];
    const sameFp = record?.fingerprint === fingerprint.value;
    const outputs = record && sameFp && record.status === 'ok' ? store.check(record.entry!, record.outs, opts.verify ?? false) : undefined;
    const upstreamPending = depOutcomes.filter(([, o]) => o.kind === 'would-run').map(([d]) => d);
    const reason = decide({ record, fingerprint, outputs, forced: force.has(inst.id) || force.has(inst.stage), upstreamPending });
    if (outputs && !outputs.ok) {
      reporter.warn(`${inst.id}: stored outputs are ${outputs.missing.length ? `missing (${outputs.missing.join(', ')})` : ''}${outputs.missing.length && outputs.corrupt.length ? ' and ' : ''}${outputs.corrupt.length ? `corrupt (${outputs.corrupt.join(', ')}: content hash differs from pipeline.lock)` : ''} in ${store.entryPath(record!.entry!)}; rebuilding`);
      if (!dryRun) store.discardEntry(record!.entry!);
    }
    if (!isStale(reason)) return adoptCached(inst, record!);
    if (dryRun) {
      outcomes.set(inst.id, { kind: 'would-run', reason, record });
      reporter.wouldRun(inst.id, reason);
      return;
    }
    readyQueue.push({ inst, fingerprint, reason });
  };

  const bundler = new StageBundler(plan.root, join(layout.state, 'bundles'));

  // Local jobs weigh their cores against -j; batch jobs (Slurm) run elsewhere: -j counts jobs in flight.
  const slotsOf = (inst: StageInstance) => (executor.local ? Math.min(jobs, Math.max(1, Number(inst.spec.resources?.cpus ?? 1))) : 1);

  const launch = (item: Ready) => {
    const { inst, fingerprint, reason } = item;
    const cpus = slotsOf(inst);
    cpusInUse += cpus;
    const started = Date.now();
    const name = instanceFileName(inst);
    const jobDir = join(layout.jobs, name);
    rmSync(jobDir, { recursive: true, force: true });
    mkdirSync(jobDir, { recursive: true });
    mkdirSync(layout.logs, { recursive: true });
    const logPath = join(layout.logs, `${name}.log`);
    writeFileSync(logPath, `# ${inst.id} (${plan.profile}) started ${new Date(started).toISOString()}\n`);
    const tmpOutDir = store.createTempOutDir();
    const jobPath = join(jobDir, 'job.json');
    const job: JobSpec = {
      format: JOB_FORMAT,
      stage: inst.stage,
      id: inst.id,
      profile: plan.profile,
      root: plan.root,
      ...(inst.spec.run ? { module: join(plan.root, inst.spec.run), source: inst.spec.run } : { cmd: inst.spec.cmd }),
      params: inst.params,
      matrix: inst.matrix,
      seed: fingerprint.details.seed,
      outDir: tmpOutDir,
      outs: inst.spec.outs,
      inputs: inputsFor(inst),
      eventsPath: join(jobDir, 'events.jsonl'),
      ...(executor.local ? { parentPid: process.pid } : {}),
    };
    const paths = enginePaths();
    reporter.started(inst.id, reason);
    const prepare = async () => {
      if (inst.spec.run) job.module = await bundler.bundleFor(inst.spec.run.replace(/^\.\//, ''), codeFacts.get(inst.stage)!.code);
      writeFileSync(jobPath, JSON.stringify(job, null, 2));
    };
    const done = prepare()
      .then(() => executor.submit(
        {
          instanceId: inst.id,
          argv: [process.execPath, ...paths.childArgv, jobPath],
          env: {},
          cwd: plan.root,
          logPath,
          eventsPath: job.eventsPath,
          tmpOutDir,
          resources: { ...inst.spec.resources, cpus: executor.local ? cpus : Math.max(1, Number(inst.spec.resources?.cpus ?? 1)) },
        },
        { onEvent: (ev) => ev.t === 'progress' && reporter.progress(inst.id, ev.fraction, ev.note) },
      ))
      .then(
        (res) => complete(item, res, tmpOutDir, logPath, (Date.now() - started) / 1000),
        (err: unknown) => complete(item, { state: 'lost', exitCode: null }, tmpOutDir, logPath, (Date.now() - started) / 1000, err),
      )
      .finally(() => {
        cpusInUse -= cpus;
        running.delete(inst.id);
        pointLogView(layout, inst, logPath);
        return saveState();
      });
    running.set(inst.id, done);
  };

  const inputsFor = (inst: StageInstance): Record<string, StageInput[]> => {
    const by: Record<string, StageInput[]> = {};
    for (const dep of inst.deps) {
      const up = plan.byId.get(dep)!;
      const rec = recordFor(dep)!;
      const dir = rec.entry ? store.entryPath(rec.entry) : '';
      (by[up.stage] ??= []).push({
        id: up.id,
        stage: up.stage,
        matrix: up.matrix,
        outs: rec.status === 'ok' ? Object.fromEntries(Object.entries(rec.outs).map(([n, o]) => [n, join(dir, o.path)])) : {},
        ...(rec.status === 'skipped' ? { skipped: rec.reason ?? 'skipped' } : {}),
        fingerprint: rec.fingerprint,
        durationSeconds: rec.duration_s,
      });
    }
    return by;
  };

  const complete = (item: Ready, res: JobResult, tmpOutDir: string, logPath: string, seconds: number, error?: unknown) => {
    const { inst, fingerprint, reason } = item;
    if (res.state === 'cancelled') {
      store.removeTemp(tmpOutDir);
      outcomes.set(inst.id, { kind: 'cancelled' });
      return;
    }
    try {
      if (res.state !== 'completed') {
        const how = res.detail ?? (res.signal ? `killed by ${res.signal}` : res.state === 'lost' ? `lost (${String(error ?? 'no exit status')})` : `exit code ${res.exitCode}`);
        throw new StageFailedError(`failed: ${how}${res.end?.error ? ` — ${res.end.error}` : ''}`, { stage: inst.id });
      }
      const duration_s = Math.round(seconds * 100) / 100;
      let record: LockRecord;
      if (res.end?.status === 'skipped') {
        store.removeTemp(tmpOutDir);
        record = { fingerprint: fingerprint.value, status: 'skipped', reason: res.end.reason ?? '', outs: {}, duration_s, details: fingerprint.details };
        pointView(layout, inst, null);
      } else {
        const published = store.publish(inst.id, tmpOutDir, inst.spec.outs);
        if (published.undeclared.length) reporter.warn(`${inst.id}: wrote files that are not declared outs (not kept): ${published.undeclared.join(', ')}`);
        record = { fingerprint: fingerprint.value, status: 'ok', entry: published.entry, outs: published.outs, duration_s, details: fingerprint.details };
        const dir = store.entryPath(published.entry);
        pointView(layout, inst, dir);
        mirrorOuts(plan.root, inst, dir, published.outs, hasher);
      }
      records[inst.id] = record;
      lockDirty = true;
      outcomes.set(inst.id, { kind: 'ran', record, reason });
      reporter.finished(inst.id, record.status, seconds, record.reason);
    } catch (err) {
      store.removeTemp(tmpOutDir);
      const message = err instanceof Error ? err.message : String(err);
      const tail = readLogTail(logPath, 20);
      outcomes.set(inst.id, { kind: 'failed', reason, message, exitCode: res.exitCode, logPath, tail });
      reporter.failed(inst.id, { exitCode: res.exitCode, signal: res.signal, message, logPath, tail });
      const dependents = dependentsOf(inst.id, selected);
      for (const d of dependents) if (!outcomes.has(d)) outcomes.set(d, { kind: 'blocked', by: inst.id });
      reporter.blocked(inst.id, dependents);
      if (!opts.keepGoing) stopLaunching = true;
    }
  };

  try {
    for (;;) {
      let progressed = true;
      while (progressed && !interrupted) {
        progressed = false;
        for (const inst of selected) {
          if (outcomes.has(inst.id) || running.has(inst.id) || readyQueue.some((r) => r.inst.id === inst.id)) continue;
          if (inst.deps.some((d) => !outcomes.has(d))) continue;
          evaluate(inst);
          progressed = true;
        }
      }
      while (!stopLaunching && readyQueue.length > 0) {
        const next = readyQueue[0];
        const cpus = slotsOf(next.inst);
        if (cpusInUse > 0 && cpusInUse + cpus > jobs) break;
        readyQueue.shift();
        launch(next);
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
    if (!dryRun && !interrupted && selected.length === plan.instances.length) {
      for (const id of Object.keys(records)) {
        if (!plan.byId.has(id)) {
          delete records[id];
          lockDirty = true;
        }
      }
      for (const stage of new Set(plan.instances.filter((i) => Object.keys(i.matrix).length > 0).map((i) => i.stage))) {
        pruneMatrixViews(layout, stage, plan.instances.filter((i) => i.stage === stage));
      }
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (interrupted) await executor.cancelAll();
    await saveState();
  }
  const notStarted = selected.filter((i) => !outcomes.has(i.id)).map((i) => i.id);
  const summary = summarise(outcomes, notStarted, interrupted, (Date.now() - t0) / 1000);
  reporter.end(summary);
  return summary;
}

function removeTempLeftovers(layout: Layout): void {
  let names: string[] = [];
  try {
    names = readdirSync(layout.tmp);
  } catch {
    return;
  }
  for (const n of names) rmSync(join(layout.tmp, n), { recursive: true, force: true });
}

function hasFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export type { LockFile };

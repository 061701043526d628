// The stage contract: what a stage module (`run: stages/x.ts`) receives and must do.
// A stage module exports `run(ctx)`. It reads its inputs, calls into src/, writes every declared
// out into ctx.outDir (via ctx.out(name)), and returns. The engine publishes the outs atomically
// only after run() resolved and every declared out exists.

export type ParamValue = null | boolean | number | string | ParamValue[] | { [key: string]: ParamValue };

/** The published outputs of one upstream stage instance. */
export interface StageInput {
  /** Instance id, e.g. `deep-vae[sigma2=0.1,learn=true,seed=3]`. */
  readonly id: string;
  readonly stage: string;
  /** Matrix values of that instance ({} when the stage has no matrix). */
  readonly matrix: Readonly<Record<string, ParamValue>>;
  /** Absolute path of each declared out, by out name. */
  readonly outs: Readonly<Record<string, string>>;
  /** Set when the upstream stage skipped itself (ctx.skip); then its outs do not exist. */
  readonly skipped?: string;
  /** The upstream instance's fingerprint (for provenance in reports). */
  readonly fingerprint?: string;
  /**
   * Seconds the upstream run that produced these outs took (from pipeline.lock). A fact of the run,
   * not of the result: not part of any fingerprint, so write it only into `volatile` outs.
   */
  readonly durationSeconds?: number;
}

export interface StageContext {
  /** Stage name as in pipeline.yaml, e.g. `deep-vae`. */
  readonly stage: string;
  /** Instance id, e.g. `deep-vae[sigma2=0.1,learn=true,seed=3]`; equals `stage` without a matrix. */
  readonly id: string;
  readonly profile: string;
  /** Project root (absolute). */
  readonly root: string;
  /**
   * Resolved values of exactly the params the stage declared (by the dotted name it used, e.g.
   * `deep_vae.width`), plus its matrix values (by matrix key). Nothing else: a stage cannot read a
   * param that is not part of its fingerprint.
   */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Matrix values of this instance ({} without a matrix). */
  readonly matrix: Readonly<Record<string, ParamValue>>;
  /** A 32-bit seed derived from the profile seed and this instance id: stable across reruns. */
  readonly seed: number;
  /** Directory the outs must be written into (a fresh temp dir inside the store). */
  readonly outDir: string;
  /** Absolute path to write the declared out `name` to. Throws for an undeclared name. */
  out(name: string): string;
  /** The single instance of upstream stage `stage`. Throws if there is none or several. */
  input(stage: string): StageInput;
  /** Every instance of upstream stage `stage` this instance depends on (fan-in), in plan order. */
  inputs(stage: string): StageInput[];
  /** Typed param getter; throws a clear error when `name` was not declared or has another type. */
  param<T extends ParamValue = ParamValue>(name: string): T;
  /** Report progress in [0, 1] with a short note; shown live by the runner. Cheap; call freely. */
  progress(fraction: number, note?: string): void;
  /** A line for the stage's log file (and the console with --verbose). */
  log(message: string): void;
  /**
   * End the stage as skipped (e.g. CelebA without a local copy). Not a failure: the result is
   * cached like any other, dependents see `skipped` on their input, and the report says why.
   */
  skip(reason: string): never;
}

export type StageRun = (ctx: StageContext) => Promise<void> | void;

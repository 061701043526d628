// The validated, profile-independent content of pipeline.yaml (before matrix params are resolved).
import type { DepSpec, ExecutorConfig, SourcePos, StageSpec } from '../plan-types.ts';
import type { ParamValue } from '../stage.ts';
import type { ParamTree } from './param-tree.ts';

export interface MatrixAxisDecl {
  key: string;
  /** A literal list, or ... */
  values?: ParamValue[];
  /** ... the dotted name of a param holding the list (resolved per profile). */
  param?: string;
  pos: SourcePos;
}

export interface DepDecl extends DepSpec {
  /** Position of each filter key, for errors found when linking instances. */
  filterPos: Record<string, SourcePos>;
}

export interface StageDecl extends Omit<StageSpec, 'matrix' | 'deps'> {
  matrix: MatrixAxisDecl[];
  deps: DepDecl[];
  publishPos?: SourcePos;
}

export interface ProfileDecl {
  name: string;
  description?: string;
  /** Nested overrides, already checked against the base params. */
  params: ParamTree;
  pos: SourcePos;
}

export interface PipelineFile {
  root: string; // absolute
  file: string; // absolute
  /** The path used in messages (relative to root when inside it). */
  displayFile: string;
  version: 1;
  defaultProfile: string;
  /** In declaration order. */
  profiles: ProfileDecl[];
  /** The base params tree. */
  params: ParamTree;
  /** In declaration order. */
  stages: StageDecl[];
  executor: ExecutorConfig;
}

export const TOP_LEVEL_KEYS = ['version', 'default_profile', 'profiles', 'params', 'stages', 'executor'] as const;
export const EXECUTOR_KEYS = ['name', 'slurm'] as const;
export const EXECUTOR_NAMES = ['local', 'slurm'] as const;
/** Besides resource defaults (SLURM_RESOURCE_KEYS but cpus), how the Slurm executor behaves. */
export const SLURM_SETTING_KEYS = ['jobs', 'poll_interval'] as const;
export const PROFILE_KEYS = ['description', 'params'] as const;
export const STAGE_KEYS = ['description', 'run', 'cmd', 'deps', 'params', 'matrix', 'outs', 'code', 'resources', 'publish', 'volatile'] as const;
export const SUPPORTED_VERSION = 1;

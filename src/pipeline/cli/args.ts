// Command-line parsing (node:util parseArgs): one option table for every command.
import { parseArgs } from 'node:util';
import { didYouMean } from '../config/did-you-mean.ts';
import { PipelineConfigError } from '../errors.ts';

export const COMMANDS = ['run', 'status', 'why', 'dag', 'gc', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliArgs {
  command: Command;
  positionals: string[];
  profile?: string;
  jobs?: number;
  force: string[];
  keepGoing: boolean;
  dryRun: boolean;
  verify: boolean;
  set: string[];
  mermaid: boolean;
  expand: boolean;
  verbose: boolean;
  file?: string;
  dir?: string;
  executor?: 'local' | 'slurm';
}

export const USAGE = `usage: pipeline <command> [options]

commands:
  run [targets...]   run what is stale (targets: stage names or instance ids, plus their upstream)
  status             list stale instances and why
  why <target>       explain exactly what changed for a stage or instance
  dag                the stage graph as text (--mermaid for a mermaid graph, --expand for instances)
  gc                 remove store entries pipeline.lock does not reference, and temp leftovers

options:
  -p, --profile P    profile from pipeline.yaml (default: its default_profile)
  -j, --jobs N       run at most N cores' worth of stages at once (default: all cores);
                     with --executor slurm: at most N jobs in flight (default: executor.slurm.jobs, 32)
  -x, --executor E   local (child processes) or slurm (sbatch jobs on a shared filesystem);
                     default: executor.name in pipeline.yaml, else local
  -f, --force S      rerun stage or instance S even if up to date (repeatable)
  -k, --keep-going   after a failure, let independent branches finish
  -n, --dry-run      show what would run, run nothing
      --verify       rehash every file instead of trusting the stat cache
      --set a.b=v    override a param (repeatable)
  -C, --dir D        project root (default: the current directory)
      --file F       pipeline file (default: pipeline.yaml in the root)
  -v, --verbose      also list cached instances
`;

export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        profile: { type: 'string', short: 'p' },
        jobs: { type: 'string', short: 'j' },
        force: { type: 'string', short: 'f', multiple: true },
        'keep-going': { type: 'boolean', short: 'k' },
        'dry-run': { type: 'boolean', short: 'n' },
        verify: { type: 'boolean' },
        set: { type: 'string', multiple: true },
        mermaid: { type: 'boolean' },
        expand: { type: 'boolean' },
        verbose: { type: 'boolean', short: 'v' },
        file: { type: 'string' },
        dir: { type: 'string', short: 'C' },
        executor: { type: 'string', short: 'x' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new PipelineConfigError((err as Error).message, { key: 'arguments', hint: 'pipeline help' });
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;
  const command = values.help ? 'help' : ((first ?? 'run') as Command);
  if (!COMMANDS.includes(command)) {
    throw new PipelineConfigError(`unknown command '${first}'`, { key: 'command', hint: `commands: ${COMMANDS.join(', ')}` });
  }
  let jobs: number | undefined;
  if (values.jobs !== undefined) {
    jobs = Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) throw new PipelineConfigError(`-j expects a positive integer, found '${values.jobs}'`, { key: 'jobs' });
  }
  if (values.executor !== undefined && values.executor !== 'local' && values.executor !== 'slurm') {
    throw new PipelineConfigError(`--executor expects local or slurm, found '${values.executor}'`, { key: 'executor', hint: didYouMean(values.executor, ['local', 'slurm']) });
  }
  return {
    command,
    positionals: values.help ? positionals : rest,
    profile: values.profile,
    jobs,
    force: values.force ?? [],
    keepGoing: values['keep-going'] ?? false,
    dryRun: values['dry-run'] ?? false,
    verify: values.verify ?? false,
    set: values.set ?? [],
    mermaid: values.mermaid ?? false,
    expand: values.expand ?? false,
    verbose: values.verbose ?? false,
    file: values.file,
    dir: values.dir,
    ...(values.executor !== undefined ? { executor: values.executor as 'local' | 'slurm' } : {}),
  };
}

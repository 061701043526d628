// `npm run repro:check [-- --update] [--profile P] [-j N] [--keep] [-v] [-C dir]`: runs a
// profile (default smoke) twice from empty stores in temp copies, fails unless both runs agree,
// the fresh run agrees with pipeline.lock, and the claims checklist holds. Exit 0 ok, 1 failed,
// 2 bad arguments or configuration.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { reproCheck } from '../pipeline/repro/repro-check.ts';
import { reportError } from '../pipeline/cli/main.ts';
import { claimsCheck } from '../repro/claims-check.ts';
import { nondeterministicBackend } from '../repro/backend-determinism.ts';

const USAGE = `usage: npm run repro:check -- [--profile P] [--update] [-j N] [--keep] [-v] [-C dir]
  -p, --profile P  profile to check (default: smoke)
  -u, --update     accept the fresh results: write them into pipeline.lock and artifacts/.store
  -j, --jobs N     cores per run (default: all)
      --keep       keep the two temp copies for a look at differing files
  -v, --verbose    show every engine line of both runs
  -C, --dir D      project root (default: the current directory)
`;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        profile: { type: 'string', short: 'p', default: 'smoke' },
        update: { type: 'boolean', short: 'u' },
        jobs: { type: 'string', short: 'j' },
        keep: { type: 'boolean' },
        verbose: { type: 'boolean', short: 'v' },
        dir: { type: 'string', short: 'C' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) {
    process.stderr.write(`error: -j expects a positive integer, found '${values.jobs}'\n`);
    return 2;
  }
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    process.stderr.write(`\n${sig}: stopping the runs and removing the temp copies…\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await reproCheck({
      root: resolve(values.dir ?? process.cwd()),
      profile: values.profile,
      update: values.update ?? false,
      jobs,
      keep: values.keep ?? false,
      verbose: values.verbose ?? false,
      // Downloaded MNIST lives in data/ (git-ignored): the copies read it rather than download again.
      link: ['node_modules', 'data'],
      nondeterministicBackend,
      extraChecks: [claimsCheck],
      updateHint: 'npm run repro:check -- --update',
      signal: controller.signal,
    });
    return result.interrupted ? 130 : result.ok ? 0 : 1;
  } catch (err) {
    return reportError(err);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

process.exitCode = await main(process.argv.slice(2));

// `pipeline <command>`: parse, dispatch, and turn errors into exit codes. Exit 0 ok; 1 a stage
// failed (or the workspace is busy, or the store is damaged); 2 the configuration or the command
// line is wrong (nothing ran); 130 interrupted.
import { PipelineConfigError, PipelineError } from '../errors.ts';
import { parseCli, USAGE } from './args.ts';
import { runCommand } from './run-command.ts';
import { statusCommand, whyCommand } from './status-command.ts';
import { dagCommand } from './dag-command.ts';
import { gcCommand } from './gc-command.ts';

export async function main(argv: string[], out: (text: string) => void = (t) => void process.stdout.write(t)): Promise<number> {
  try {
    const args = parseCli(argv);
    switch (args.command) {
      case 'help':
        out(USAGE);
        return 0;
      case 'run':
        return await runCommand(args, out);
      case 'status':
        return await statusCommand(args, out);
      case 'why':
        return await whyCommand(args, out);
      case 'dag':
        return await dagCommand(args, out);
      case 'gc':
        return await gcCommand(args, out);
    }
  } catch (err) {
    return reportError(err);
  }
}

export function reportError(err: unknown): number {
  if (err instanceof PipelineConfigError) {
    process.stderr.write(`error: ${err.message}\n`);
    return 2;
  }
  if (err instanceof PipelineError) {
    process.stderr.write(`error: ${err.message}\n`);
    return 1;
  }
  process.stderr.write(`internal error: ${(err as Error)?.stack ?? String(err)}\n`);
  return 1;
}

// The batch script of one stage instance: the exact argv the local executor would spawn, then the
// job's own exit status written atomically next to its events file. Slurm forgets finished jobs
// after MinJobAge and many clusters have no sacct, so that file — not the controller — is the
// authority on how the stage ended; Slurm's state only explains a job that never wrote one.

export interface JobScriptInput {
  instanceId: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** Where the script writes the command's exit status (decimal, one line). */
  statusPath: string;
}

/** POSIX single quoting: safe for any string, including quotes and newlines. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_/.,:=@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export function jobScript(input: JobScriptInput): string {
  const status = shellQuote(input.statusPath);
  const tmp = shellQuote(`${input.statusPath}.tmp`);
  const lines = [
    '#!/bin/sh',
    `# ${input.instanceId.replace(/\n/g, ' ')}: written by the pipeline's Slurm executor.`,
    'echo "# slurm job ${SLURM_JOB_ID:-?} on ${SLURMD_NODENAME:-$(hostname)}"',
    `cd ${shellQuote(input.cwd)} || exit 1`,
    ...Object.entries(input.env).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    input.argv.map(shellQuote).join(' '),
    // Not reached when Slurm kills the job (cancel, time limit): then no status file, and Slurm's state explains.
    'status=$?',
    `printf '%s\\n' "$status" > ${tmp} && mv -f ${tmp} ${status}`,
    'exit "$status"',
    '',
  ];
  return lines.join('\n');
}

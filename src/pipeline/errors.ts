// One place where engine errors build their message: where (file:line:col), which stage and
// key, what was expected, a hint. Everything else throws one of these and lets the CLI print it.

export interface ErrorLocation {
  file?: string;
  line?: number;
  col?: number;
}

export interface PipelineErrorInit extends ErrorLocation {
  stage?: string;
  key?: string;
  hint?: string;
  cause?: unknown;
}

export class PipelineError extends Error {
  readonly stage?: string;
  readonly key?: string;
  readonly hint?: string;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;

  constructor(message: string, init: PipelineErrorInit = {}) {
    super(formatMessage(message, init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.stage = init.stage;
    this.key = init.key;
    this.hint = init.hint;
    this.file = init.file;
    this.line = init.line;
    this.col = init.col;
  }
}

/** pipeline.yaml is malformed or inconsistent: nothing runs. */
export class PipelineConfigError extends PipelineError {}
/** A stage ran and failed (non-zero exit, missing outs, killed). */
export class StageFailedError extends PipelineError {}
/** The artifact store or lock file is damaged or inconsistent. */
export class StoreError extends PipelineError {}
/** Another run holds the workspace. */
export class WorkspaceBusyError extends PipelineError {}

function formatMessage(message: string, init: PipelineErrorInit): string {
  const where = init.file ? `${init.file}${init.line ? `:${init.line}${init.col ? `:${init.col}` : ''}` : ''}: ` : '';
  const what = [init.stage && `stage '${init.stage}'`, init.key && `key '${init.key}'`].filter(Boolean).join(', ');
  let text = `${where}${what ? `${what}: ` : ''}${message}`;
  if (init.hint) text += `\n  hint: ${init.hint}`;
  return text;
}

// Validation collects every problem it can find before giving up, so one edit-run cycle fixes
// them all; the thrown error lists them one per entry and keeps them as objects for tools.
import { PipelineConfigError, type PipelineErrorInit } from '../errors.ts';

export class PipelineConfigErrorList extends PipelineConfigError {
  readonly errors: readonly PipelineConfigError[];

  constructor(errors: readonly PipelineConfigError[]) {
    const head = errors.length === 1 ? '' : `${errors.length} problems in the pipeline configuration:\n`;
    super(head + errors.map((e) => e.message).join('\n'));
    this.errors = errors;
  }
}

export class ConfigErrorCollector {
  readonly errors: PipelineConfigError[] = [];

  add(message: string, init: PipelineErrorInit): void {
    this.errors.push(new PipelineConfigError(message, init));
  }

  get failed(): boolean {
    return this.errors.length > 0;
  }

  /** Throw everything collected so far, if anything. */
  throwIfAny(): void {
    if (this.errors.length > 0) throw new PipelineConfigErrorList(sortByPosition(this.errors));
  }
}

function sortByPosition(errors: PipelineConfigError[]): PipelineConfigError[] {
  // Stable: errors without a position keep their discovery order after the positioned ones.
  const key = (e: PipelineConfigError): [number, number] => [e.line ?? Number.MAX_SAFE_INTEGER, e.col ?? 0];
  return [...errors].sort((a, b) => {
    const [la, ca] = key(a);
    const [lb, cb] = key(b);
    return la - lb || ca - cb;
  });
}

// `pipeline dag [--mermaid] [--expand]`: the stage graph, rendered by dag-render.ts.
import { renderDagMermaid, renderDagText } from '../dag-render.ts';
import type { CliArgs } from './args.ts';
import { planFor } from './load.ts';

export async function dagCommand(args: CliArgs, out: (text: string) => void): Promise<number> {
  const plan = await planFor(args);
  out(args.mermaid ? renderDagMermaid(plan) : renderDagText(plan, { expand: args.expand }));
  return 0;
}

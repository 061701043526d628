// Stage `report`: index.html (self-contained), README.md (GitHub-viewable) and results.json.
// Claims come from claims.yaml and the DAG from pipeline.yaml (both declared as `code:` in
// pipeline.yaml so an edit to either reruns this stage).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../src/io/atomic.ts';
import { buildReport } from '../src/report/build-report.ts';
import { dagFromPipelineYaml } from '../src/report/dag.ts';
import type { StageContext } from '../src/pipeline/stage.ts';

export async function run(ctx: StageContext): Promise<void> {
  const claimsFile = join(ctx.root, 'claims.yaml');
  const pipelineFile = join(ctx.root, 'pipeline.yaml');
  const dag = dagFromPipelineYaml(readFileSync(pipelineFile, 'utf8'), pipelineFile);
  const stages = dag.nodes.map((n) => n.name).filter((n) => n !== ctx.stage);
  const report = buildReport({
    profile: ctx.profile,
    inputsOf: (stage) => ctx.inputs(stage),
    stages,
    claimsText: readFileSync(claimsFile, 'utf8'),
    claimsFile,
    dag,
  });
  writeFileAtomic(ctx.out('index.html'), report.html);
  writeFileAtomic(ctx.out('README.md'), report.markdown);
  writeJsonAtomic(ctx.out('results.json'), report.results);
  const c = report.results.claims;
  ctx.log(`claims: ${c.filter((x) => x.status === 'pass').length} hold, ${c.filter((x) => x.status === 'fail').length} do not, ${c.filter((x) => x.status === 'skipped').length} skipped, ${c.filter((x) => x.status === 'missing').length} not measured`);
}

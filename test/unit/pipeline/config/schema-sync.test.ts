import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROFILE_KEYS, STAGE_KEYS, TOP_LEVEL_KEYS } from '../../../../src/pipeline/config/pipeline-file-types.ts';
import { loadPipelineFile, loadPlan } from '../../../../src/pipeline/plan.ts';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const schema = JSON.parse(readFileSync(join(projectRoot, 'pipeline.schema.json'), 'utf8'));

describe('pipeline.schema.json (for editors) and the checker agree', () => {
  it('on the keys allowed at the top, in a profile and in a stage', () => {
    expect(Object.keys(schema.properties).sort()).toEqual([...TOP_LEVEL_KEYS].sort());
    expect(Object.keys(schema.properties.profiles.additionalProperties.properties).sort()).toEqual([...PROFILE_KEYS].sort());
    expect(Object.keys(schema.definitions.stage.properties).sort()).toEqual([...STAGE_KEYS].sort());
  });
});

describe("the project's pipeline.yaml", () => {
  it('plans under every profile it declares', () => {
    const file = loadPipelineFile({ root: projectRoot });
    for (const profile of file.profiles) {
      const plan = loadPlan({ root: projectRoot, profile: profile.name });
      expect(plan.instances.length).toBeGreaterThan(0);
    }
  });
});

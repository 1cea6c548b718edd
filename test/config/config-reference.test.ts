import { readFileSync } from 'node:fs';
import { ActorFacts, CaseFacts, RuleOperators, RuleVarRoots } from '../../config/rule-operators';
import { ConfigErrorCodes } from '../../config/config-error-codes';
import {
  REFERENCE_FILE,
  readSchema,
  renderConfigReference,
  undocumentedProperties,
} from '../../scripts/config-reference';

/** The first line where two texts differ, to point at what changed. */
function firstDifference(a: string, b: string): string {
  const left = a.split('\n');
  const right = b.split('\n');
  const i = left.findIndex((line, n) => line !== right[n]);
  const at = i === -1 ? left.length : i;
  return `line ${at + 1}: committed ${JSON.stringify(left[at])}, generated ${JSON.stringify(right[at])}`;
}

describe('the config reference (docs/config-reference.md)', () => {
  it('every property and definition of the config schema has a description', () => {
    expect(undocumentedProperties(readSchema())).toEqual([]);
  });

  it('names the JSON pointer of a property whose description is missing', () => {
    const schema = readSchema() as {
      $defs: Record<string, { properties: Record<string, object> }>;
    };
    const { description: _dropped, ...bare } = schema.$defs.step.properties.holderRole as {
      description: string;
    };
    schema.$defs.step.properties.holderRole = bare;
    delete (schema.$defs.capacityRule as { description?: string }).description;
    expect(undocumentedProperties(schema)).toEqual([
      '/$defs/step/properties/holderRole',
      '/$defs/capacityRule',
    ]);
  });

  it('the committed page is what the generator writes from the schema and seeds now', async () => {
    const committed = readFileSync(REFERENCE_FILE, 'utf8');
    const generated = await renderConfigReference();
    if (committed !== generated) {
      throw new Error(
        `docs/config-reference.md is out of date: run npm run docs:config (${firstDifference(committed, generated)})`,
      );
    }
  });

  it('has a section for every schema definition and a line for every rule operator and fact', async () => {
    const page = await renderConfigReference();
    const groups = ['kindIs', 'typeIs']; // `if` conditions only, not written in a config
    for (const name of Object.keys(readSchema().$defs as object)) {
      if (!groups.includes(name)) expect(page).toContain(`\n### ${name}\n`);
    }
    for (const op of RuleOperators) expect(page).toContain(`\n- \`${op}\`: \`{"${op}": `);
    for (const root of RuleVarRoots) expect(page).toContain(`\n- \`${root}\` — `);
    for (const fact of CaseFacts) expect(page).toContain(`\n- \`case.${fact}\` — `);
    for (const fact of ActorFacts) expect(page).toContain(`\n- \`actor.${fact}\` — `);
  });

  it('lists every config error code with its bokmål meaning', async () => {
    const page = await renderConfigReference();
    for (const code of Object.keys(ConfigErrorCodes)) {
      expect(page).toMatch(new RegExp(`\\n\\| \`${code}\` +\\| \\S`));
    }
  });
});

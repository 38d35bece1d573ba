// The layering rules of ../shared/STYLE.md hold for the whole tree, and each rule really fails on a wrong import
// (a miniature tree in test/fixtures/arch breaks every one of them once).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import loadTsConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config = require('../../.dependency-cruiser.cjs') as { forbidden: Array<{ name: string }>; options: Record<string, unknown> };
const root = fileURLToPath(new URL('../..', import.meta.url));

async function violationsIn(baseDir: string, paths: string[]) {
  // The project's tsconfig, whichever tree is cruised (the fixture has none of its own).
  const tsConfigFile = path.join(root, 'tsconfig.json');
  const options = { ...config.options, baseDir, tsConfig: { fileName: tsConfigFile }, validate: true, ruleSet: { forbidden: config.forbidden } };
  const result = await cruise(paths, options as never, undefined, { tsConfig: await loadTsConfig(tsConfigFile) } as never);
  const output = result.output as ICruiseResult;
  return { modules: output.summary.totalCruised, rules: output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`) };
}

describe('architecture rules', () => {
  it('hold for server/, liff/ and migrations/', { timeout: 60_000 }, async () => {
    const { modules, rules } = await violationsIn(root, ['server', 'liff', 'migrations']);
    expect(rules).toEqual([]);
    // A parser that silently reads nothing would pass every rule: the tree must really be cruised.
    expect(modules).toBeGreaterThan(120);
  });

  it('each fail on a deliberately wrong import', { timeout: 60_000 }, async () => {
    const { rules } = await violationsIn(fileURLToPath(new URL('../fixtures/arch', import.meta.url)), ['server', 'liff', 'migrations']);
    const fired = new Set(rules.map((line) => line.split(':')[0]));
    expect([...fired].sort()).toEqual(config.forbidden.map((rule) => rule.name).sort());
  });
});

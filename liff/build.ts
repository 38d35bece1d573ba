// Builds the mini-app into dist/liff, writes .br/.gz beside each asset, and prints what a phone downloads:
// our own JavaScript apart from the LIFF SDK and the simulator-only mock, against two budgets: what every phone loads
// (the borrower's pages and the shell) and the officers' pages, which only an officer's phone loads, on demand.
// `--if-stale` skips the build when dist/liff is newer than every source it is made from (used by `npm start`).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'dist/liff');
const STAMP = path.join(OUT, 'build-report.json');
// What a borrower's phone downloads of our code: 60 KB was the first budget; 48 KB keeps today's 44 KB honest.
const BORROWER_BUDGET_BYTES = 48 * 1024;
// The officers' pages (workspace, slips, statements, reports, budget, model centres), loaded after sign-in as an officer.
const OFFICER_BUDGET_BYTES = 40 * 1024;
const SOURCES = ['liff', 'server/contracts', 'server/domain/money.ts', 'server/domain/local-date.ts', 'vite.config.ts', 'package-lock.json'];

function newestSourceMtime(entry: string): number {
  const full = path.join(ROOT, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(full).filter((name) => name !== 'node_modules').map((name) => newestSourceMtime(path.join(entry, name))));
}

function isFresh(): boolean {
  if (!existsSync(STAMP) || !existsSync(path.join(OUT, 'index.html'))) return false;
  const built = statSync(STAMP).mtimeMs;
  return SOURCES.every((source) => newestSourceMtime(source) < built);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

interface AssetSize {
  file: string;
  group: 'ours' | 'officer' | 'liff-sdk' | 'liff-mock' | 'css';
  raw: number;
  gzip: number;
}

function measureAndCompress(): AssetSize[] {
  const assetsDir = path.join(OUT, 'assets');
  // What index.html loads (the entry and its static imports); every other chunk of ours is loaded on demand — the
  // officers' pages.
  const loadedByEveryPhone = new Set([...readFileSync(path.join(OUT, 'index.html'), 'utf8').matchAll(/assets\/([^"']+\.js)/g)].map((m) => m[1]!));
  const sizes: AssetSize[] = [];
  for (const file of readdirSync(assetsDir).sort()) {
    if (!/\.(js|css)$/.test(file)) continue;
    const content = readFileSync(path.join(assetsDir, file));
    const gzip = gzipSync(content, { level: 9 });
    writeFileSync(path.join(assetsDir, `${file}.gz`), gzip);
    writeFileSync(path.join(assetsDir, `${file}.br`), brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    const group = file.endsWith('.css') ? 'css' : file.startsWith('liff-sdk') ? 'liff-sdk' : file.startsWith('liff-mock') ? 'liff-mock' : loadedByEveryPhone.has(file) ? 'ours' : 'officer';
    sizes.push({ file, group, raw: content.length, gzip: gzip.length });
  }
  return sizes;
}

async function main() {
  if (process.argv.includes('--if-stale') && isFresh()) {
    console.log('mini-app: dist/liff is up to date (npm run build:liff to rebuild)');
    return;
  }
  const { build } = await import('vite');
  const started = performance.now();
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  const sizes = measureAndCompress();
  const total = (group: AssetSize['group']) => sizes.filter((s) => s.group === group).reduce((sum, s) => sum + s.gzip, 0);
  const liffVersion = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/@line/liff/package.json'), 'utf8')) as { version: string }).version;
  const mockVersion = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/@line/liff-mock/package.json'), 'utf8')) as { version: string }).version;

  console.log(`mini-app built into dist/liff in ${Math.round(performance.now() - started)} ms`);
  for (const s of sizes) console.log(`  ${s.file.padEnd(36)} ${kb(s.raw).padStart(10)}  gzip ${kb(s.gzip).padStart(9)}  (${s.group})`);
  const ours = total('ours');
  const officer = total('officer');
  console.log(`our JavaScript every phone loads, gzipped: ${kb(ours)} of the ${kb(BORROWER_BUDGET_BYTES)} budget`);
  console.log(`officers' pages (on demand), gzipped:     ${kb(officer)} of the ${kb(OFFICER_BUDGET_BYTES)} budget`);
  console.log(`LIFF SDK @line/liff ${liffVersion} (pluggable core + the modules used), gzipped: ${kb(total('liff-sdk'))}`);
  console.log(`@line/liff-mock ${mockVersion} (simulator mode only, loaded on demand), gzipped: ${kb(total('liff-mock'))}`);
  console.log(`stylesheet, gzipped:               ${kb(total('css'))}`);
  writeFileSync(
    STAMP,
    `${JSON.stringify({ builtAt: new Date().toISOString(), budgetBytes: BORROWER_BUDGET_BYTES, oursGzip: ours, officerBudgetBytes: OFFICER_BUDGET_BYTES, officerGzip: officer, liffSdkGzip: total('liff-sdk'), liffMockGzip: total('liff-mock'), cssGzip: total('css'), assets: sizes }, null, 2)}\n`,
  );
  if (ours > BORROWER_BUDGET_BYTES || officer > OFFICER_BUDGET_BYTES) {
    console.error(`our JavaScript is over budget: ${kb(ours)} (of ${kb(BORROWER_BUDGET_BYTES)}) for every phone, ${kb(officer)} (of ${kb(OFFICER_BUDGET_BYTES)}) for officers, gzipped`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error('mini-app build failed:', error);
  process.exit(1);
});

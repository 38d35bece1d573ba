// Builds the mini-app into dist/liff, writes .br/.gz beside each asset, and prints what a phone downloads:
// our own JavaScript (budget 72 KB gzipped) apart from the LIFF SDK and the simulator-only mock.
// `--if-stale` skips the build when dist/liff is newer than every source it is made from (used by `npm start`).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'dist/liff');
const STAMP = path.join(OUT, 'build-report.json');
// 60 KB until the officers' pages grew: main with money and reports measured 63.9 KB, the model-centre selection's
// pages add ≈ 6.5 KB (officers only, in the lazily loaded officer chunk; a borrower's phone still downloads ≈ 44 KB).
// A budget per audience (the borrower's first load apart from the officers' pages) would say more than one sum.
const BUDGET_BYTES = 72 * 1024;
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
  group: 'ours' | 'liff-sdk' | 'liff-mock' | 'css';
  raw: number;
  gzip: number;
}

function measureAndCompress(): AssetSize[] {
  const assetsDir = path.join(OUT, 'assets');
  const sizes: AssetSize[] = [];
  for (const file of readdirSync(assetsDir).sort()) {
    if (!/\.(js|css)$/.test(file)) continue;
    const content = readFileSync(path.join(assetsDir, file));
    const gzip = gzipSync(content, { level: 9 });
    writeFileSync(path.join(assetsDir, `${file}.gz`), gzip);
    writeFileSync(path.join(assetsDir, `${file}.br`), brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    const group = file.endsWith('.css') ? 'css' : file.startsWith('liff-sdk') ? 'liff-sdk' : file.startsWith('liff-mock') ? 'liff-mock' : 'ours';
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
  console.log(`our JavaScript, gzipped:           ${kb(ours)} of the ${kb(BUDGET_BYTES)} budget`);
  console.log(`LIFF SDK @line/liff ${liffVersion} (pluggable core + the modules used), gzipped: ${kb(total('liff-sdk'))}`);
  console.log(`@line/liff-mock ${mockVersion} (simulator mode only, loaded on demand), gzipped: ${kb(total('liff-mock'))}`);
  console.log(`stylesheet, gzipped:               ${kb(total('css'))}`);
  writeFileSync(
    STAMP,
    `${JSON.stringify({ builtAt: new Date().toISOString(), budgetBytes: BUDGET_BYTES, oursGzip: ours, liffSdkGzip: total('liff-sdk'), liffMockGzip: total('liff-mock'), cssGzip: total('css'), assets: sizes }, null, 2)}\n`,
  );
  if (ours > BUDGET_BYTES) {
    console.error(`our JavaScript is over budget: ${kb(ours)} > ${kb(BUDGET_BYTES)} gzipped`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error('mini-app build failed:', error);
  process.exit(1);
});

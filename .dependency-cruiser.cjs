// The picture of ../shared/STYLE.md as rules: `npm run lint:arch` (and CI) fails on an import that breaks it.
// Type-only imports are allowed across layers where noted: they vanish at run time and carry no behaviour.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle ties layers into one knot: nothing in it can be understood or tested alone.',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ is plain TypeScript: no I/O, no framework, no package, not even a Node built-in. "now" is a parameter.',
      from: { path: '^server/domain/' },
      to: { pathNot: '^server/domain/' },
    },
    {
      name: 'services-do-not-know-the-edges',
      severity: 'error',
      comment: 'services/ decide what to tell whom; how it looks in LINE (line/), in a file (render/), HTTP, schedules, CLI and the simulator are edges that call them.',
      from: { path: '^server/services/' },
      to: { path: '^server/(line|render|http|jobs|cli|dev)/' },
    },
    {
      name: 'sql-only-in-db',
      severity: 'error',
      comment: 'Every query and lock is a function in db/ (migrations write their own DDL). Elsewhere Kysely is a type only.',
      from: { path: '^(server|liff)/', pathNot: '^server/db/' },
      to: { path: 'node_modules/kysely/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'only-line-talks-to-the-line-sdk',
      severity: 'error',
      comment: 'line/ is the only @line/bot-sdk importer: one place knows the SDK, its errors and its quirks.',
      from: { pathNot: '^server/line/' },
      to: { path: 'node_modules/@line/bot-sdk/' },
    },
    {
      name: 'edges-go-through-services',
      severity: 'error',
      comment: 'http/, jobs/, cli/ and line/ receive services; they do not reach into the database (types are fine).',
      from: { path: '^server/(http|jobs|cli|line)/' },
      to: { path: '^server/db/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'renderers-take-data',
      comment: 'render/ turns data into files and images (PDF, XLSX, QR): it is given the data, it never fetches it.',
      severity: 'error',
      from: { path: '^server/render/' },
      to: { path: '^server/(services|db|http|line|jobs|cli|dev)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'simulator-loads-on-demand',
      severity: 'error',
      comment: 'The fake LINE platform and the simulator ship only in simulator mode: loaded with a dynamic import, never statically.',
      from: { path: '^server/', pathNot: '^server/dev/' },
      to: { path: '^server/dev/', dependencyTypesNot: ['type-only', 'dynamic-import'] },
    },
    {
      name: 'liff-uses-contracts-and-pure-formatting',
      severity: 'error',
      comment: 'The mini-app shares the API contracts and pure date/money/phone/Thai-text formatting with the server, nothing else.',
      from: { path: '^liff/' },
      to: { path: '^server/', pathNot: '^server/(contracts/|domain/(local-date|money|phone|thai-text)\\.ts$)' },
    },
    {
      name: 'contracts-import-only-zod',
      severity: 'error',
      comment: 'The contracts are shared with the browser: zod and nothing of the server.',
      from: { path: '^server/contracts/' },
      to: { pathNot: '^server/contracts/|node_modules/zod/' },
    },
    {
      name: 'migrations-stand-alone',
      severity: 'error',
      comment: 'Migrations are frozen once landed: they import only kysely, Node built-ins and their own data files, never app code.',
      from: { path: '^migrations/' },
      to: { pathNot: '^migrations/|node_modules/kysely/', dependencyTypesNot: ['core'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // TypeScript 5.9's parser (the typecheck runs TypeScript 7, which has no JS API): unlike swc it marks
    // type-only imports, so the rules can tell a type from a runtime dependency.
    parser: 'tsc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
    exclude: { path: '^dist/' },
  },
};

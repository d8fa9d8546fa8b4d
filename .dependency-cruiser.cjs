/**
 * Module boundaries for NPS Loop (see ARCHITECTURE.md section 2, "Layout").
 *
 *   npm run depcruise
 *
 * - every folder under src/ exposes one public surface, its index.ts; other folders import only that
 * - no cycles, neither between modules nor between folders
 * - src/sandbox/ (the local HubSpot peer) and the product never import each other
 * - only src/hubspot/ imports @hubspot/api-client
 * - nothing in src/ imports src/cli/ (the entry points)
 */

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module may not depend on itself through other modules (type-only imports count).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment:
        'Folders under src/ form no cycle: break it by moving the shared piece to src/core/ or by inverting the dependency.',
      scope: 'folder',
      from: { path: '^src/[^/]+/?$' },
      to: { path: '^src/[^/]+/?$', circular: true },
    },
    {
      name: 'index-only',
      severity: 'error',
      comment:
        'Import another folder only through its public surface, its index.ts (siblings in the same folder are fine).',
      from: { path: '^src/([^/]+)/', pathNot: ['^src/(app|cli)/'] },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'no-root-modules',
      severity: 'error',
      comment: 'Code lives in a folder under src/ (the wiring lives in src/app/).',
      from: { path: '^src/[^/]+\\.[cm]?[jt]s$' },
      to: {},
    },
    {
      name: 'sandbox-imports-no-product',
      severity: 'error',
      comment: 'The sandbox is a stand-in for HubSpot: it never imports product code.',
      from: { path: '^src/sandbox/' },
      to: { path: '^src/', pathNot: '^src/sandbox/' },
    },
    {
      name: 'product-imports-no-sandbox',
      severity: 'error',
      comment: 'Product code never imports the sandbox (only the entry points in src/cli/ start it).',
      from: { path: '^src/', pathNot: '^src/(sandbox|cli)/' },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'hubspot-sdk-only-in-hubspot',
      severity: 'error',
      comment: 'Only src/hubspot/ talks to @hubspot/api-client; everyone else uses the HubSpotClient.',
      from: { pathNot: '^src/hubspot/' },
      to: { path: '(^|/)node_modules/@hubspot/api-client/' },
    },
    {
      name: 'no-cli-imports',
      severity: 'error',
      comment: 'src/cli/ holds entry points; nothing in src/ imports them.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};

import nx from '@nx/eslint-plugin';

// Module boundaries (STYLE.md habit 11), enforced with Nx tags from each project.json:
//   type:contracts  shared types, patterns and error codes; imports no ORM, no Nest, no driver
//   type:util       shared libraries (config, mlflow-wire, nest-common, search-filter)
//   type:testing    test helpers
//   type:service    an app that runs as its own process (gateway, tracking-svc, …)
//   type:composer   the cli: the one composition root that mounts every service in one process
const shared = ['type:contracts', 'type:util'];
// Production code never reaches the test helpers; test files (*.spec.ts, *.integration-spec.ts, *.minio-spec.ts, *.k8s-spec.ts) may.
const boundaries = (allow, { tests = false } = {}) => {
  const testing = tests ? ['type:testing'] : [];
  return [
    'error',
    {
      enforceBuildableLibDependency: false,
      allow,
      depConstraints: [
        { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'], bannedExternalImports: ['pg', '@nestjs/*', 'fastify', 'typeorm'] },
        { sourceTag: 'type:util', onlyDependOnLibsWithTags: [...shared, ...testing] },
        { sourceTag: 'type:testing', onlyDependOnLibsWithTags: shared },
        { sourceTag: 'type:service', onlyDependOnLibsWithTags: [...shared, ...testing] },
        { sourceTag: 'type:composer', onlyDependOnLibsWithTags: [...shared, ...testing, 'type:service'] },
      ],
    },
  ];
};
const composerAllow = ['@cairn/gateway', '@cairn/tracking-svc', '@cairn/registry-svc', '@cairn/artifact-svc', '@cairn/project-runner'];

export default [
  { ignores: ['dist/**', 'node_modules/**', '.venv/**', '.cairn/**', '.cairn-*/**', '.nx/**', 'compat/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries([]),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The composition root may mount services through their public entry points, and nothing deeper.
    files: ['apps/cli/src/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(composerAllow),
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/*.minio-spec.ts', '**/*.k8s-spec.ts', '**/*.spec-helper.ts', 'apps/cli/src/all-in-one/test-server.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(composerAllow, { tests: true }) },
  },
  {
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/*.minio-spec.ts', '**/*.k8s-spec.ts', 'libs/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
];

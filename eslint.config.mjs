// Lint rules that keep the design honest (see ../shared/STYLE.md):
// no floating promises, type-only imports marked, no default exports, no console outside
// CLIs, no deep imports into another package, no cycles, and a pure domain.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.local/**',
      'coverage/**',
      'reports/**',
      '*.config.js',
      '*.config.mjs',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.lint.json'], tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'import-x/no-cycle': 'error',
      'import-x/no-default-export': 'error',
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@alert-exchange/*/src/*', '@alert-exchange/*/dist/*', '../../*/src/*'],
              message: 'Import another package through its index only.',
            },
          ],
        },
      ],
    },
  },
  {
    // The domain is pure: no Kafka, Redis, HTTP, telemetry or Node I/O. Its tests may read
    // the example files from disk.
    files: ['services/*/src/domain/**/*.ts'],
    ignores: ['services/*/src/domain/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            'kafkajs',
            'ioredis',
            'express',
            'undici',
            '@kafkajs/confluent-schema-registry',
            'node:fs',
            'node:net',
            'node:http',
            'node:https',
            'node:child_process',
            'fs',
            'net',
            'http',
            'https',
          ],
          patterns: ['@opentelemetry/*', '@alert-exchange/platform'],
        },
      ],
    },
  },
  {
    // Tests: jest's expect(...) of functions and promises trips these rules without meaning.
    files: ['**/*.test.ts', '**/*.test-helper.ts', 'tests/**/*.ts'],
    rules: {
      // Tests inspect JSON answers of the API: untyped by nature, checked by expect().
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
      // expect.any() and friends are typed any.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // Jest's global setup and teardown must be default exports.
    files: ['tests/setup/*.ts'],
    rules: { 'import-x/no-default-export': 'off' },
  },
);

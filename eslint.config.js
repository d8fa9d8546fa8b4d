// Lint rules for the whole repository. Formatting is Prettier's job (eslint-config-prettier turns the
// overlapping rules off); this file is about correctness and the project's boundaries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { config as hubspotUiExtensions } from '@hubspot/eslint-config-ui-extensions';

const cardFiles = ['extensions/app/cards/**/*.{ts,tsx}'];

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', '.data-*/**', 'bench/results/**', 'test-artifacts/**', 'coverage/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // `any` is allowed where a library's types force it; each use stays visible in review.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    // Scripts the pages load in the browser.
    files: ['src/**/assets/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Only src/config reads the environment, so every setting is validated in one place.
    files: ['src/**/*.ts'],
    ignores: ['src/config/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings through src/config.' },
      ],
    },
  },
  {
    // Only src/hubspot talks to HubSpot's SDK; everything else goes through its client.
    files: ['src/**/*.ts', 'extensions/**/*.{ts,tsx}'],
    ignores: ['src/hubspot/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@hubspot/api-client', message: 'Use the HubSpot client in src/hubspot.' }] },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: { 'no-console': 'error' },
  },
  // HubSpot's own rules for UI extensions (no DOM, no window.fetch, only ui-extensions components), cards only.
  ...hubspotUiExtensions.map((c) => ({ ...c, files: cardFiles })),
  { files: ['**/*.tsx', ...cardFiles], ...reactHooks.configs.flat['recommended-latest'] },
  prettier,
);

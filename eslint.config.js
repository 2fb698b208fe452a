/**
 * Lint, including the layering rules of docs/architecture.md: each layer imports only downward.
 *   domain (pure) ← platform ← store ← rules ← services ← contract/shells ; renderer talks to services only through the
 *   contract (and reads the rules' definitions through src-main/rules/catalogue.ts).
 */
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const forbid = (patterns, message) => ({ group: patterns, message });
/**
 * The rule library's layer (src-main/rules/), reached by going up and straight into it: `../rules/…`, `../../rules/…`.
 * A regex, because a glob on `rules` would also catch the domain's own domain/rules/ (`../domain/rules/…`).
 * `depth`: how many `../` a file needs at least to leave its own layer (2 inside domain/<folder>/, whose `../rules/`
 * is domain/rules/).
 */
const rulesLayer = (message, depth = 1) => ({ regex: `^(\\.\\./){${depth},}rules(/|$)`, message });

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.electron-native/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // One clock: "now" is read only through the Clock handed down from a composition point (platform/clock.ts), so that
    // tests can move time and no stamp escapes them. Durations use performance.now(); parsing or formatting a given
    // instant (new Date(x), Date.parse) is fine.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/platform/clock.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'read the time through the injected Clock (platform/clock.ts), not new Date()' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'read the time through the injected Clock (platform/clock.ts), not Date.now()' },
        { selector: "CallExpression[callee.name='Date']", message: 'Date() reads the time: use the injected Clock (platform/clock.ts)' },
      ],
    },
  },
  ...[
    { files: ['src-main/domain/**/*.ts'], depth: 1 },
    // Inside domain/<folder>/, `../rules/` is the domain's own domain/rules/; the rule library is two levels up.
    { files: ['src-main/domain/*/**/*.ts'], depth: 2 },
  ].map(({ files, depth }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(['electron', 'better-sqlite3*', 'react*', 'node:fs*', 'node:http', 'zod'], 'domain code is pure: no Electron, SQLite, React, files or network'),
            forbid(['**/store/**', '**/services/**', '**/shells/**', '**/contract/**', '**/platform/**', '**/data-platform/**', '**/generator/**'], 'domain imports nothing above it'),
            rulesLayer('domain imports nothing above it: the rule library (src-main/rules) sits above the store', depth),
          ],
        },
      ],
    },
  })),
  {
    files: ['src-main/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(['electron', 'better-sqlite3*', 'react*', '**/store/**', '**/services/**', '**/shells/**', '**/contract/**', '**/data-platform/**'], 'platform helpers sit below storage and services'),
            rulesLayer('platform helpers sit below storage and the rule library'),
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(['electron', 'react*', '**/services/**', '**/shells/**', '**/contract/**', '**/data-platform/**'], 'the store is the SQL boundary: it knows no services, shells or transports'),
            rulesLayer('the store knows no rules: a rule hands the store its SQL (src-main/rules), and rule metadata comes from the caller'),
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/rules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(['electron', 'react*', '**/services/**', '**/shells/**', '**/contract/**', '**/data-platform/**', '**/generator/**'], 'the rule library sits between the store and services: domain, platform and the store only'),
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/data-platform/**/*.ts', 'src-main/generator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [forbid(['electron', 'react*', '**/services/**', '**/shells/**', '**/contract/**'], 'the platform side and the generator stand beside the workstation: domain, platform helpers and the store only')] },
      ],
    },
  },
  {
    files: ['src-main/services/**/*.ts', 'src-main/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [forbid(['electron', 'react*', '**/shells/**', '**/data-platform/**'], 'services run in plain Node (no Electron, no UI) and do not reach into the platform side')] },
      ],
    },
  },
  {
    files: ['src-main/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(['electron', 'react*', 'node:*', 'better-sqlite3*', '**/store/**', '**/services/**', '**/shells/**', '**/platform/**', '**/data-platform/**'], 'the contract is shared with the renderer: zod and pure domain only'),
            rulesLayer('the contract is shared with the renderer: zod and pure domain only'),
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            // Two exceptions: the time formatter and the snapshot's name, shared so that screens, trails and reports say them alike.
            { group: ['**/src-main/contract/**', '**/src-main/domain/**', '!**/src-main/domain/local-time.js', '!**/src-main/domain/snapshot-name.js'], allowTypeImports: true, message: 'the renderer uses only types from the main side (and the shared time and snapshot-name formatters)' },
            forbid(['electron', 'node:*', 'better-sqlite3*', '**/src-main/store/**', '**/src-main/services/**', '**/src-main/shells/**', '**/src-main/platform/**', '**/src-main/data-platform/**', '**/src-main/generator/**'], 'the renderer reaches services only through api/client.ts'),
            // The rules' names and parameters (definition.json files) through their catalogue; never their SQL.
            forbid(['**/src-main/rules/**', '!**/src-main/rules/catalogue', '!**/src-main/rules/catalogue.js', '!**/src-main/rules/catalogue.ts'], 'the renderer reads the rule library only through src-main/rules/catalogue.ts'),
          ],
        },
      ],
    },
  },
);

// Lint rules: typescript-eslint's recommended set, plus the house rules that a linter can check.
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'web/dist/', 'coverage/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // House rule 6: configuration is parsed once, in src/kernel/config.ts.
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through src/kernel/config.ts.' },
      ],
    },
  },
  {
    // House rule 9: small pieces. Options objects past three parameters. Tests and test
    // scaffolding (`testing/` folders: fixtures, fuzz generators) are tables and scenarios,
    // read top to bottom, and are left out.
    files: ['src/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/**/testing/**'],
    rules: {
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 40, skipBlankLines: true, skipComments: true }],
      'max-params': ['error', 3],
    },
  },
  {
    // The staff web app: the rules of hooks, and the same small pieces as the server. A React
    // component's markup (one prop a line once formatted) counts toward its length, so a
    // component may run to 60 lines; bigger screens are split into named parts (header,
    // sections, rows), each in its own file.
    files: ['web/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    rules: {
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 40, skipBlankLines: true, skipComments: true }],
      'max-params': ['error', 3],
    },
  },
  {
    files: ['web/src/**/*.tsx'],
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    rules: {
      // The browser has no process.env; the build's settings live in web/vite.config.ts.
      'no-restricted-properties': 'off',
    },
  },
  {
    files: ['web/vite.config.ts', 'web/e2e/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['src/kernel/config.ts', 'scripts/**', 'bench/**', '**/*.test.ts', 'src/**/testing/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);

// Lint rules: typescript-eslint's recommended set, plus the house rules that a linter can check.
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
    files: ['src/kernel/config.ts', 'scripts/**', 'bench/**', '**/*.test.ts', 'src/**/testing/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);

// npm run lint: ESLint's and typescript-eslint's recommended rules, type-aware where it catches real
// bugs (floating promises), on src/ and the tests. Formatting is prettier's job (npm run format:check).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'src/**/assembly/', '.bench/', 'models/'] },
  js.configs.recommended,
  // Messages escape control characters, so some patterns match them on purpose.
  { rules: { 'no-control-regex': 'off' } },
  {
    files: ['src/**/*.ts', 'src/**/*.cts'],
    extends: [tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // `_name` marks a value destructured only to leave it out.
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['test/**/*.mjs', 'bench/**/*.mjs', 'scripts/**/*.mjs', '*.js', '*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
);

import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'examples/**/build/**', '.test-cache/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // Bit-twiddling emulator code uses `x | 0` and `x >>> 0` deliberately.
      'no-bitwise': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);

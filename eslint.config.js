// Lint: typescript-eslint's recommended rules, plus the one rule the design insists on:
// randomness only through core's seeded RNG module.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'runs/**', '.bench/**', 'coverage/**', 'functions/*/bundle/**', 'functions/build/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message:
            'Use a seeded stream from @autofarm/core (createRng / rng.stream); Math.random is only allowed in packages/core/src/rng.ts.',
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['packages/core/src/rng.ts'], rules: { 'no-restricted-properties': 'off' } },
);

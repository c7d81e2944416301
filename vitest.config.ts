import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests run from source: workspace imports resolve to each package's src/ so no build is needed.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@autofarm\/([a-z]+)\/([a-z]+)$/, replacement: `${root}packages/$1/src/$2/index.ts` },
      { find: /^@autofarm\/([a-z]+)$/, replacement: `${root}packages/$1/src/index.ts` },
    ],
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'functions/*/src/**/*.test.ts',
      'functions/template/**/*.test.ts',
      'bench/src/**/*.test.ts',
      'deploy/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});

import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const alias = {
  '@dispatch/domain': fileURLToPath(new URL('./libs/domain/src/index.ts', import.meta.url)),
};
// Nest needs decorator metadata, which esbuild does not emit.
const decorators = () => swc.vite({ module: { type: 'es6' } });

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        plugins: [decorators()],
        resolve: { alias },
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['libs/*/src/**/*.spec.ts', 'apps/api/src/**/*.spec.ts', 'apps/console/src/**/*.spec.ts'],
        },
      },
      {
        plugins: [decorators()],
        resolve: { alias },
        test: {
          name: 'e2e',
          // e2e and browser share one database: they run one group after the other.
          sequence: { groupOrder: 1 },
          include: ['test/e2e/**/*.e2e.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          // One real database: files run one after another, each starting from clean tables.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [decorators()],
        resolve: { alias },
        test: {
          name: 'security',
          sequence: { groupOrder: 3 },
          include: ['test/security/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [decorators()],
        resolve: { alias },
        test: {
          name: 'browser',
          sequence: { groupOrder: 2 },
          include: ['test/browser/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

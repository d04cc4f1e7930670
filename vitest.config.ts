import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'test/cluster/**'] } },
      // Real Docker daemons, ports and images: one file at a time, so tests never race for them.
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], fileParallelism: false } },
      // The local Kubernetes cluster (scripts/local-cluster.sh up): collected only when asked for, so a
      // run without a cluster neither skips nor fakes these tests.
      ...(process.env.ANINFRA_K8S_E2E ? [{ extends: true as const, test: { name: 'cluster', include: ['test/cluster/**/*.test.ts'], fileParallelism: false } }] : []),
    ],
  },
});

import { defineConfig } from 'vitest/config'

// Tests talk to real brokers and spawn real worker processes: generous timeouts,
// and files run one at a time so two suites never fight over 2 cores.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'runs/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default'],
  },
})

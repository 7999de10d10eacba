import { defineConfig } from 'vitest/config';

// VITEST_SUITE=unit runs src/** (in-process unit tests), =integration runs test/** (real server
// processes, PostgreSQL); unset runs both.
const suite = process.env.VITEST_SUITE;
const include = suite === 'unit' ? ['src/**/*.test.ts'] : suite === 'integration' ? ['test/**/*.test.ts'] : ['src/**/*.test.ts', 'test/**/*.test.ts'];

export default defineConfig({
  test: {
    include,
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});

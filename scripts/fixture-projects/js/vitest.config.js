import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/vitest/**/*.test.js'],
    coverage: {
      include: ['src/**/*.js'],
      reportsDirectory: './coverage',
      // The sample suite has deliberate failures; write coverage anyway.
      reportOnFailure: true,
    },
  },
});

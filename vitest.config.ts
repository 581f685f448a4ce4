// Test tiers: unit (pure, fast), integration (real SQLite, sharp, ffmpeg, RTSP, ONNX),
// redis (real Redis + BullMQ), e2e (the `alpr` CLI as a user runs it), and realtime (`*.realtime.test.ts`:
// camera video through recognition at the camera's own pace). A realtime test measures what a box with
// its CPU to itself stores, so those files run last and one at a time, never beside the other tiers:
// starved of CPU, a camera loses frames and rightly stores less.
// Coverage (npm run test:coverage, V8): the product's source only; sim/ and tools/ are tooling.
import { configDefaults, defineConfig } from 'vitest/config';

const REALTIME = [...configDefaults.exclude, 'test/**/*.realtime.test.ts'];

export default defineConfig({
  test: {
    coverage: {
      provider: 'v8',
      include: [
        'cli/**/*.ts',
        'edge/**/*.ts',
        'hub/**/*.ts',
        'worker/**/*.ts',
        'shared/**/*.ts',
        'models/**/*.ts',
      ],
      reporter: ['text-summary', 'json-summary', 'html'],
      reportsDirectory: 'coverage',
    },
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], exclude: REALTIME, testTimeout: 10_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: REALTIME,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'redis',
          include: ['test/redis/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // Each file uses its own queue prefix, but they share one server: run files one at a time.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: REALTIME,
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'realtime',
          include: ['test/**/*.realtime.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});

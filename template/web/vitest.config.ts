// Vitest: component and unit tests in jsdom, without the React Router build plugin.
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    environment: "jsdom",
    // One jsdom per worker, each test file still in its own VM context: creating jsdom anew for
    // every file was 40 % of the suite's time. (Node's own errors, like fetch's TypeError, then
    // come from another realm: code must not rely on `instanceof Error` for them.)
    pool: "vmThreads",
    include: ["app/**/*.test.{ts,tsx}"],
    setupFiles: ["./vitest.setup.ts"],
  },
});

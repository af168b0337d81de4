import swc from "unplugin-swc";
import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// One runner for every TypeScript workspace. SWC (not esbuild) transforms the sources because
// type-graphql and MikroORM read `design:type` decorator metadata, which esbuild does not emit.
export default defineConfig({
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: "typescript", decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: "es2022",
      },
    }),
  ],
  // `source` resolves workspace packages to their TypeScript, so tests need no build of dependencies.
  resolve: { conditions: ["source", ...defaultServerConditions] },
  ssr: { resolve: { conditions: ["source", ...defaultServerConditions], externalConditions: ["source"] } },
  test: {
    include: [
      "{domain,network,contracts,node-agent,gateway,portal}/{src,test,ts,scripts}/**/*.test.ts",
      "test/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "**/dist/**", "portal/e2e/**"],
    globalSetup: ["network/src/_test/globalSetup.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    expect: { requireAssertions: true },
    reporters: process.env.CI
      ? ["default", ["json", { outputFile: "test-output/vitest.json" }]]
      : ["default"],
  },
});

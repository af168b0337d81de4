import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
/** Under gateway/dist (git-ignored), so that the external packages resolve from node_modules. */
const BUNDLE_DIR = join(here, "..", "..", "..", "dist", ".test-bundle");

/**
 * Bundles the indexer CLI (src/bin/indexer.ts, workspace packages from source) into one ESM file plain
 * `node` runs, so the crash test kills the real command, not a stand-in. The entities are
 * EntitySchema definitions (no decorator metadata), which is what makes an esbuild bundle possible.
 * Same harness as node-agent/src/_test/bundle.ts; esbuild comes from the workspace root.
 */
export async function bundleIndexerCli(): Promise<string> {
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const outfile = join(BUNDLE_DIR, "indexer.mjs");
  const { build } = await import("esbuild");
  await build({
    entryPoints: [join(here, "..", "..", "bin", "indexer.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["source"],
    external: [
      "@mikro-orm/*",
      "better-sqlite3",
      "mariadb",
      "knex",
      "viem",
      "viem/*",
      "pino",
      "zod",
      "reflect-metadata",
    ],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: "silent",
  });
  return outfile;
}

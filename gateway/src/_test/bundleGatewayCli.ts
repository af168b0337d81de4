import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { threadId } from "node:worker_threads";

const here = dirname(fileURLToPath(import.meta.url));
/** Under gateway/dist (git-ignored), so that the external packages resolve from node_modules. */
const BUNDLE_DIR = join(here, "..", "..", "dist", ".test-bundle");

export type GatewayCliName = "indexer" | "backup" | "restore" | "export" | "verify";

/**
 * Bundles one command of `src/bin` (workspace packages from source) into an ESM file plain `node`
 * runs, so tests run — and kill — the real command line, not a stand-in. The entities are
 * EntitySchema definitions (no decorator metadata), which is what makes an esbuild bundle possible.
 * Each test worker writes its own file: two suites bundling the same command at once must not run
 * each other's half-written output.
 */
export async function bundleGatewayCli(name: GatewayCliName): Promise<string> {
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const outfile = join(BUNDLE_DIR, `${name}-${process.pid}-${threadId}.mjs`);
  const { build } = await import("esbuild");
  await build({
    entryPoints: [join(here, "..", "bin", `${name}.ts`)],
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

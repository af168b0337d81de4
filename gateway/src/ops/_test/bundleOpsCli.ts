import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const BUNDLE_DIR = join(here, "..", "..", "..", "dist", ".test-bundle");

/**
 * Bundles one command of `src/bin` (workspace packages from source) into an ESM file plain `node`
 * runs, so tests run the real commands; the same harness as the indexer's crash test.
 */
export async function bundleOpsCli(name: "backup" | "restore" | "indexer"): Promise<string> {
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const outfile = join(BUNDLE_DIR, `ops-${name}.mjs`);
  const { build } = await import("esbuild");
  await build({
    entryPoints: [join(here, "..", "..", "bin", `${name}.ts`)],
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

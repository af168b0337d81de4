import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
/** Bundles live under node-agent/dist (git-ignored) so that native modules resolve from node_modules. */
export const BUNDLE_DIR = join(here, "..", "..", "dist", ".test-bundle");

/**
 * Bundles a TypeScript entry (with `@gridledger/domain` from source) into one ESM file that plain
 * `node` can run as a child process: the CLI for `agent read`, the fault-test worker.
 */
export async function bundle(entry: string, name: string): Promise<string> {
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const outfile = join(BUNDLE_DIR, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["source"],
    external: ["better-sqlite3", "serialport", "esbuild"],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: "silent",
  });
  return outfile;
}

export function writeLauncher(name: string, body: string): string {
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const file = join(BUNDLE_DIR, name);
  writeFileSync(file, body);
  return file;
}

// `npm run bench:agent`: bundles the benchmark and the agent worker (esbuild, TypeScript sources
// including @gridledger/domain) into node-agent/dist/.bench and runs them with plain node. The
// production-path memory figure runs bin/agent.mjs, so dist/ is compiled first when missing.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const repo = join(root, "..");
const tsc = join(repo, "node_modules", ".bin", "tsc");
if (!existsSync(join(repo, "domain", "dist", "index.js")))
  execFileSync(tsc, ["-p", join(repo, "domain")], { stdio: "inherit" });
// Always recompile the agent, so that the production-path figure is never taken from a stale dist/.
execFileSync(tsc, ["-p", root], { stdio: "inherit" });
const out = join(root, "dist", ".bench");
mkdirSync(out, { recursive: true });
const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  conditions: ["source"],
  external: ["better-sqlite3", "serialport", "esbuild"],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: "warning",
};
await build({
  ...common,
  entryPoints: [join(root, "src", "_bench", "agent.bench.ts")],
  outfile: join(out, "bench.mjs"),
});
await build({
  ...common,
  entryPoints: [join(root, "src", "_test", "faultWorker.ts")],
  outfile: join(out, "worker.mjs"),
});
const { main } = await import(join(out, "bench.mjs"));
await main(join(out, "worker.mjs"));

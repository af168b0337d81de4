import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { DevChainStartError } from "../errors.js";

/**
 * Path of the anvil binary shipped in the npm package `@foundry-rs/anvil-<platform>`. We run the
 * binary directly rather than the `anvil` wrapper script, so that stopping the chain signals anvil
 * itself (a wrapper in between can leave it running).
 */
export function anvilBinaryPath(): string {
  const require = createRequire(import.meta.url);
  const platformPackage = `@foundry-rs/anvil-${process.platform}-${process.arch === "x64" ? "amd64" : process.arch}`;
  try {
    const manifest = require.resolve(`${platformPackage}/package.json`);
    const binary = path.join(path.dirname(manifest), "bin", "anvil");
    if (existsSync(binary)) return binary;
  } catch {
    // fall through to the error below
  }
  throw new DevChainStartError(`The anvil binary for ${process.platform}/${process.arch} is not installed`, {
    details: `expected the optional npm package ${platformPackage}; run npm install`,
  });
}

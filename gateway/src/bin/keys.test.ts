import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { createKeystoreSigners } from "../keys/keystore.js";

const run = promisify(execFile);
// The CLI as operators run it: the built file (npm test builds first).
const cli = fileURLToPath(new URL("../../dist/bin/keys.js", import.meta.url));
const folder = mkdtempSync(path.join(os.tmpdir(), "gridledger-keys-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("keys CLI", () => {
  test("generate prints the address of a new 0600 key the gateway's signer then serves; list shows it", async () => {
    const keystore = path.join(folder, "keystore");
    const { stdout } = await run("node", [
      cli,
      "generate",
      "--organisation",
      "Retail A",
      "--keystore",
      keystore,
      "--json",
    ]);
    const generated = JSON.parse(stdout) as { kind: string; address: `0x${string}`; file: string };
    expect(generated.kind).toBe("organisation");
    expect(statSync(generated.file).mode & 0o777).toBe(0o600);
    expect(stdout).not.toMatch(/0x[0-9a-fA-F]{64}/); // the private key is never printed
    const account = await createKeystoreSigners({ directory: keystore }).account(
      "organisation",
      generated.address,
    );
    expect(account.address).toBe(generated.address);
    const listed = await run("node", [cli, "list", "--keystore", keystore]);
    expect(listed.stdout).toContain(generated.address);
  });

  test("without exactly one of --organisation / --consumer it exits 2 and writes nothing", async () => {
    const keystore = path.join(folder, "empty");
    await expect(run("node", [cli, "generate", "--keystore", keystore])).rejects.toMatchObject({ code: 2 });
    await expect(
      run("node", [cli, "generate", "--organisation", "a", "--consumer", "b", "--keystore", keystore]),
    ).rejects.toMatchObject({ code: 2 });
    const listed = await run("node", [cli, "list", "--keystore", keystore]);
    expect(listed.stdout).toBe("");
  });
});

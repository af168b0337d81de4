import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, describe, expect, test } from "vitest";
import { createKeystoreSigners, generateKey, listKeys } from "./keystore.js";

const root = mkdtempSync(path.join(os.tmpdir(), "gl-keystore-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the production keystore", () => {
  test("generate writes a 0600 key in a 0700 folder named by its address, and the signer serves it", async () => {
    const directory = path.join(root, "a");
    const { address, file } = generateKey({ directory, kind: "organisation" });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(path.basename(file)).toBe(`${address.toLowerCase()}.key`);
    expect(privateKeyToAccount(readFileSync(file, "utf8").trim() as `0x${string}`).address).toBe(address);

    const signers = createKeystoreSigners({ directory });
    const account = await signers.account("organisation", address);
    expect(account.address).toBe(address);
    // the same object for the same address: one nonce counter per signer
    expect(await signers.account("organisation", address.toLowerCase() as `0x${string}`)).toBe(account);
    expect(listKeys(directory)).toEqual([{ kind: "organisation", address, file }]);
  });

  test("a consumer without a key is CONSUMER_KEY_MISSING; an organisation key is not a consumer key", async () => {
    const directory = path.join(root, "b");
    const { address } = generateKey({ directory, kind: "organisation" });
    const signers = createKeystoreSigners({ directory });
    await expect(signers.account("consumer", address)).rejects.toMatchObject({
      code: "CONSUMER_KEY_MISSING",
    });
    await expect(
      signers.account("organisation", "0x00000000000000000000000000000000000000aa"),
    ).rejects.toMatchObject({ code: "ORGANISATION_KEY_MISSING" });
  });

  test("a key file readable by group or others is refused (KEYSTORE_INSECURE), and so is an open folder", async () => {
    const directory = path.join(root, "c");
    const { address, file } = generateKey({ directory, kind: "consumer" });
    chmodSync(file, 0o640);
    await expect(createKeystoreSigners({ directory }).account("consumer", address)).rejects.toMatchObject({
      code: "KEYSTORE_INSECURE",
    });
    chmodSync(file, 0o600);
    chmodSync(directory, 0o755);
    await expect(createKeystoreSigners({ directory }).account("consumer", address)).rejects.toMatchObject({
      code: "KEYSTORE_INSECURE",
    });
    chmodSync(directory, 0o700);
    expect((await createKeystoreSigners({ directory }).account("consumer", address)).address).toBe(address);
  });

  test("a file holding another address's key is refused (KEYSTORE_CORRUPT)", async () => {
    const directory = path.join(root, "d");
    const first = generateKey({ directory, kind: "consumer" });
    const second = generateKey({ directory, kind: "consumer" });
    writeFileSync(first.file, readFileSync(second.file));
    await expect(
      createKeystoreSigners({ directory }).account("consumer", first.address),
    ).rejects.toMatchObject({
      code: "KEYSTORE_CORRUPT",
    });
  });
});

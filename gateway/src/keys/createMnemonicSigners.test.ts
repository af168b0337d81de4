import { DEV_ROLES, devAccounts, TEST_MNEMONIC } from "@gridledger/network";
import { describe, expect, test } from "vitest";
import { demoKeyDeriver } from "../demo/seedDemoData.js";
import { createMnemonicSigners } from "./createMnemonicSigners.js";

describe("key custody of the embedded system (dev mnemonic)", () => {
  const signers = createMnemonicSigners({ mnemonic: TEST_MNEMONIC });
  const dev = devAccounts(TEST_MNEMONIC);

  test("serves each organisation's own dev key, the very key the dev chain gives that role", async () => {
    for (const role of ["operator", "gridCompany", "retailCompanyA", "retailCompanyB", "bank"] as const) {
      expect((await signers.account("organisation", dev[role].address)).address).toBe(dev[role].address);
    }
  });

  test("serves demo consumers' keys as the demo seed derives them (index 100 + i), and the dev consumer", async () => {
    const derive = demoKeyDeriver(TEST_MNEMONIC);
    for (const index of [100, 101, 137]) {
      const expected = derive(index).address;
      expect((await signers.account("consumer", expected)).address).toBe(expected);
    }
    expect((await signers.account("consumer", dev.consumer.address)).address).toBe(dev.consumer.address);
  });

  test("never signs as the relayer or a device, nor a consumer key as an organisation", async () => {
    expect(DEV_ROLES.indexOf("relayer")).toBe(5);
    await expect(signers.account("organisation", dev.relayer.address)).rejects.toMatchObject({
      code: "ORGANISATION_KEY_MISSING",
    });
    await expect(signers.account("consumer", dev.device.address)).rejects.toMatchObject({
      code: "CONSUMER_KEY_MISSING",
    });
    const consumer = demoKeyDeriver(TEST_MNEMONIC)(100).address;
    await expect(signers.account("organisation", consumer)).rejects.toMatchObject({
      code: "ORGANISATION_KEY_MISSING",
    });
  });
});

import { createPublicClient, createTestClient, type Hex, http, keccak256, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, inject, test } from "vitest";
import { RetryableError } from "../internal/errors.js";
import { sendWithRebroadcast } from "./sendWithRebroadcast.js";

// The shared embedded chain (quarter-second blocks). A fresh key per test keeps its nonces its own.
const rpcUrl = inject("devChainRpcUrl");
const publicClient = createPublicClient({ transport: http(rpcUrl), cacheTime: 0 });
const testClient = createTestClient({ mode: "anvil", transport: http(rpcUrl) });

async function fundedKey() {
  const account = privateKeyToAccount(generatePrivateKey());
  await testClient.setBalance({ address: account.address, value: parseEther("10") });
  return account;
}

async function signedTransfers(count: number, firstNonce = 0): Promise<Hex[]> {
  const account = await fundedKey();
  const chainId = await publicClient.getChainId();
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      account.signTransaction({
        chainId,
        type: "legacy",
        gasPrice: 0n,
        gas: 21_000n,
        to: account.address,
        value: 1n,
        nonce: firstNonce + index,
      }),
    ),
  );
}

describe("sendWithRebroadcast()", () => {
  test("many concurrent waits on one client each get their own receipt", async () => {
    const transactions = await signedTransfers(40);
    const receipts = await Promise.all(
      transactions.map((serializedTransaction) =>
        sendWithRebroadcast({ publicClient, serializedTransaction }),
      ),
    );
    expect(receipts.map((receipt) => receipt.transactionHash)).toEqual(
      transactions.map((tx) => keccak256(tx)),
    );
    expect(receipts.every((receipt) => receipt.status === "success")).toBe(true);
  });

  test("a transaction the node dropped is sent again, same bytes, and mined once", async () => {
    const [serializedTransaction] = await signedTransfers(1);
    const hash = await publicClient.sendRawTransaction({ serializedTransaction: serializedTransaction! });
    await testClient.dropTransaction({ hash });
    expect(await publicClient.getTransaction({ hash }).catch(() => undefined)).toBeUndefined();
    const receipt = await sendWithRebroadcast({
      publicClient,
      serializedTransaction: serializedTransaction!,
      alreadySent: true,
      resendAfterMs: 300,
    });
    expect(receipt.transactionHash).toBe(hash);
    expect(receipt.status).toBe("success");
  });

  test("a transaction that can never be mined fails as retryable after the timeout", async () => {
    // nonce 5 of a fresh key: the gap before it never fills
    const [serializedTransaction] = await signedTransfers(1, 5);
    const failure = await sendWithRebroadcast({
      publicClient,
      serializedTransaction: serializedTransaction!,
      timeoutMs: 1_500,
      resendAfterMs: 300,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RetryableError);
    expect((failure as RetryableError).code).toBe("CHAIN_UNAVAILABLE");
  });
});

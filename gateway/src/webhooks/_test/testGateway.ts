import Keyv from "keyv";
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createSessionStore, type Session } from "../../auth/sessions.js";
import type { Database } from "../../db/openDatabase.js";
import type { Principal } from "../../graphql/context.js";
import { createGatewayServer, type GatewayServer } from "../../server/createGatewayServer.js";

export type TestGateway = {
  server: GatewayServer;
  /** Session tokens by principal name. */
  tokens: Record<string, string>;
  /** A GraphQL request as `who` (a name of `principals`, or undefined for anonymous). */
  ask(
    who: string | undefined,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{
    // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field by the tests
    data?: Record<string, any> | null;
    errors?: { message: string; extensions: { code: string } }[];
  }>;
};

/** A gateway server over `database` with in-memory sessions for `principals` (readings.test.ts style). */
export async function startTestGateway(parameters: {
  database: Database;
  principals: Record<string, Principal>;
  rpcUrl?: string | undefined;
  chainId?: number | undefined;
  contracts?: Record<string, `0x${string}`> | undefined;
  /** GRIDLEDGER_WEBHOOK_ALLOW_PRIVATE_TARGETS; default off, as in production. */
  allowPrivateTargets?: boolean | undefined;
}): Promise<TestGateway> {
  const rpcUrl = parameters.rpcUrl ?? "http://127.0.0.1:9";
  const sessions = createSessionStore(new Keyv<Session>());
  const tokens: Record<string, string> = {};
  for (const [name, principal] of Object.entries(parameters.principals))
    tokens[name] = (await sessions.open(principal)).token;
  const contracts = parameters.contracts ?? {};
  const server = await createGatewayServer({
    rpcUrl,
    deployment: { chainId: parameters.chainId ?? 1, deployedAtBlock: "1", contracts },
    logLevel: "silent",
    services: {
      chain: {
        publicClient: createPublicClient({ transport: http(rpcUrl) }),
        walletClient: createWalletClient({ transport: http(rpcUrl) }),
        relayer: privateKeyToAccount(`0x${"01".repeat(32)}`),
        chainId: parameters.chainId ?? 1,
        deployedAtBlock: 1n,
        contracts,
        zeroGasPrice: true,
      },
      database: parameters.database,
      sessions,
      webhooks: { allowPrivateTargets: parameters.allowPrivateTargets ?? false },
      indexStatus: async () => ({ indexedBlock: undefined }),
    },
  });
  return {
    server,
    tokens,
    ask: async (who, query, variables) =>
      (
        await server.app.inject({
          method: "POST",
          url: "/graphql",
          payload: { query, variables },
          headers: {
            "content-type": "application/json",
            ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}),
          },
        })
      ).json(),
  };
}

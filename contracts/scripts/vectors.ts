// `npm run vectors -- FILE [--rpc-url URL]`: evaluates every case of a billing vector file through
// domain/ (TypeScript) AND through the BillingCalculator contract on a chain, and prints
// `N passed, M failed`. A case fails when either language disagrees with its `expected`, or when
// the two languages disagree with each other on any figure. Without --rpc-url it starts the
// embedded development chain (anvil, from @gridledger/network) and stops it at the end.
// Runs as compiled JavaScript (contracts/dist/scripts/vectors.js) after `npm run build`.
import { readFileSync } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import {
  type BillingVectorFile,
  compareFigures,
  evaluateBillingCase,
  type Figures,
} from "@gridledger/domain";
import { type Account, createPublicClient, http, type PublicClient, parseEther, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { deployBillingCalculator } from "../ts/billing/deployBillingCalculator.js";
import { evaluateBillingCaseOnChain } from "../ts/billing/evaluateBillingCaseOnChain.js";

type DevChainHandle = { rpcUrl: string; accounts: { operator: Account }; stop(): Promise<void> };

function usage(message?: string): never {
  if (message) process.stderr.write(`vectors: ${message}\n`);
  process.stderr.write("usage: npm run vectors -- FILE.json [--rpc-url URL]\n");
  process.exit(2);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let file: string | undefined;
  let rpcUrl: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--rpc-url") rpcUrl = args[++i] ?? usage("--rpc-url needs a URL");
    else if (arg === "--help" || arg === "-h") usage();
    else if (arg.startsWith("-")) usage(`unknown option ${arg}`);
    else if (file) usage("give one file");
    else file = arg;
  }
  if (!file) usage("no vector file given");
  // npm runs workspace scripts inside contracts/; INIT_CWD is where the user typed the command.
  const resolved = path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
  const vectors = JSON.parse(readFileSync(resolved, "utf8")) as BillingVectorFile;
  if (!Array.isArray(vectors.cases)) usage(`${file} has no "cases" array`);

  let chain: DevChainHandle | undefined;
  let account: Account;
  if (rpcUrl) {
    account = privateKeyToAccount(
      (process.env.GRIDLEDGER_PRIVATE_KEY as `0x${string}` | undefined) ?? generatePrivateKey(),
    );
    if (!process.env.GRIDLEDGER_PRIVATE_KEY) {
      // A throwaway key funded through anvil's cheat RPC; on other nodes set GRIDLEDGER_PRIVATE_KEY.
      await createPublicClient({ transport: http(rpcUrl) }).request({
        method: "anvil_setBalance" as never,
        params: [account.address, toHex(parseEther("10"))] as never,
      });
    }
  } else {
    // Imported at run time: @gridledger/network is a sibling workspace, not a contracts dependency.
    const networkModule = "@gridledger/network";
    const { startDevChain } = (await import(networkModule)) as {
      startDevChain(parameters: { blockTimeSeconds: number }): Promise<DevChainHandle>;
    };
    chain = await startDevChain({ blockTimeSeconds: 0.25 });
    rpcUrl = chain.rpcUrl;
    account = chain.accounts.operator;
  }

  try {
    const publicClient = createPublicClient({ transport: http(rpcUrl) }) as PublicClient;
    const calculatorAddress = await deployBillingCalculator({ rpcUrl, account });
    let passed = 0;
    let failed = 0;
    for (const billingCase of vectors.cases) {
      // A case that crashes an evaluator (malformed input the encoders cannot even send) fails alone.
      const attempt = async (evaluate: () => Figures | Promise<Figures>) => {
        try {
          return { figures: await evaluate() };
        } catch (error) {
          return { crash: error instanceof Error ? error.message.split("\n")[0] : String(error) };
        }
      };
      const domain = await attempt(() => evaluateBillingCase(billingCase));
      const onChain = await attempt(() =>
        evaluateBillingCaseOnChain(billingCase, { publicClient, calculatorAddress }),
      );
      const problems =
        domain.figures && onChain.figures
          ? [
              ...compareFigures({ expected: billingCase.expected, actual: domain.figures }).map(
                (p) => `domain ${p}`,
              ),
              ...compareFigures({ expected: billingCase.expected, actual: onChain.figures }).map(
                (p) => `contract ${p}`,
              ),
              ...(isDeepStrictEqual(domain.figures, onChain.figures)
                ? []
                : ["domain and contract differ on figures not listed in expected"]),
            ]
          : [
              ...(domain.crash ? [`domain crashed: ${domain.crash}`] : []),
              ...(onChain.crash ? [`contract crashed: ${onChain.crash}`] : []),
            ];
      if (problems.length === 0) {
        passed++;
        process.stdout.write(`  ok    ${billingCase.id}  ${billingCase.title}\n`);
      } else {
        failed++;
        process.stdout.write(`  FAIL  ${billingCase.id}  ${billingCase.title}\n`);
        for (const problem of problems) process.stdout.write(`        ${problem}\n`);
      }
    }
    process.stdout.write(`${passed} passed, ${failed} failed\n`);
    return failed === 0 ? 0 : 1;
  } finally {
    await chain?.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `vectors: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);

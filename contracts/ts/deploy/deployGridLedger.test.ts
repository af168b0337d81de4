import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createPublicClient, http } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { freshActors, rpcUrl, type TestActors } from "../_test/fixture.js";
import { GRID_LEDGER_CONTRACTS, gridLedgerArtifacts } from "../contracts.js";
import { GRID_LEDGER_ROLES } from "../roles.js";
import {
  DEFAULT_SUBSTITUTE_RULES,
  deployGridLedger,
  loadOrDeployGridLedger,
  readDeploymentsFile,
} from "./deployGridLedger.js";

describe("loadOrDeployGridLedger", () => {
  const url = rpcUrl();
  const client = createPublicClient({ transport: http(url) });
  let actors: TestActors;
  let dir: string;

  beforeAll(async () => {
    actors = await freshActors(url);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "gridledger-deploy-"));
  });

  const options = (deploymentsFile: string) => ({
    rpcUrl: url,
    deployer: actors.deployer,
    deploymentsFile,
    roles: {
      operator: actors.operator.address,
      gridCompany: actors.grid.address,
      retailCompanies: [actors.retailA.address, actors.retailB.address],
      paymentSources: [actors.bank.address],
    },
  });

  it("deploys and writes the file, then reuses it; redeploys when the chain id does not match", async () => {
    const file = path.join(dir, "nested", "deployments.json");
    const first = await loadOrDeployGridLedger(options(file));
    expect(first.deployed).toBe(true);
    expect(await readDeploymentsFile(file)).toEqual(first.deployment);
    expect(JSON.parse(await fs.readFile(file, "utf8"))).toEqual(first.deployment);
    expect(first.deployment.chainId).toBe(await client.getChainId());
    expect(BigInt(first.deployment.deployedAtBlock)).toBeGreaterThan(0n);
    for (const name of GRID_LEDGER_CONTRACTS) {
      expect(first.deployment.contracts[name]).toMatch(/^0x[0-9a-fA-F]{40}$/);
      expect(first.deployment.contracts[`${name}Implementation`]).toMatch(/^0x[0-9a-fA-F]{40}$/);
    }

    const second = await loadOrDeployGridLedger(options(file));
    expect(second).toEqual({ deployment: first.deployment, deployed: false });

    await fs.writeFile(file, JSON.stringify({ ...first.deployment, chainId: first.deployment.chainId + 1 }));
    const third = await loadOrDeployGridLedger(options(file));
    expect(third.deployed).toBe(true);
    expect(third.deployment.contracts.Registry).not.toBe(first.deployment.contracts.Registry);
    expect((await readDeploymentsFile(file))?.chainId).toBe(first.deployment.chainId);
  });

  it("redeploys when a recorded address has no code", async () => {
    const file = path.join(dir, "nocode.json");
    const first = await loadOrDeployGridLedger(options(file));
    const broken = {
      ...first.deployment,
      contracts: { ...first.deployment.contracts, Tariffs: actors.stranger.address },
    };
    await fs.writeFile(file, JSON.stringify(broken));
    const again = await loadOrDeployGridLedger(options(file));
    expect(again.deployed).toBe(true);
  });

  it("works when the deployer is the operator itself", async () => {
    const deployment = await deployGridLedger({
      rpcUrl: url,
      deployer: actors.operator,
      roles: {
        operator: actors.operator.address,
        gridCompany: actors.grid.address,
        retailCompanies: [actors.retailA.address],
        paymentSources: [actors.bank.address, actors.retailA.address],
      },
    });
    const registry = deployment.contracts.Registry!;
    const abi = gridLedgerArtifacts.Registry.abi;
    expect(
      await client.readContract({
        address: registry,
        abi,
        functionName: "hasRole",
        args: [GRID_LEDGER_ROLES.DEFAULT_ADMIN_ROLE, actors.operator.address],
      }),
    ).toBe(true);
    const retail = await client.readContract({
      address: registry,
      abi,
      functionName: "getOrganisation",
      args: [actors.retailA.address],
    });
    expect(retail.kind).toBe(3); // registered once, as a retail company
  });

  it("hands the admin roles to the operator, grants participant roles and registers organisations", async () => {
    const { deployment } = await loadOrDeployGridLedger(options(path.join(dir, "roles.json")));
    const has = (
      name: (typeof GRID_LEDGER_CONTRACTS)[number],
      role: keyof typeof GRID_LEDGER_ROLES,
      who: `0x${string}`,
    ) =>
      client.readContract({
        address: deployment.contracts[name]!,
        abi: gridLedgerArtifacts[name].abi,
        functionName: "hasRole",
        args: [GRID_LEDGER_ROLES[role], who],
      });
    for (const name of GRID_LEDGER_CONTRACTS) {
      expect(await has(name, "DEFAULT_ADMIN_ROLE", actors.operator.address)).toBe(true);
      expect(await has(name, "UPGRADER_ROLE", actors.operator.address)).toBe(true);
      expect(await has(name, "DEFAULT_ADMIN_ROLE", actors.deployer.address)).toBe(false);
      expect(await has(name, "OPERATOR_ROLE", actors.deployer.address)).toBe(false);
    }
    expect(await has("Readings", "GRID_COMPANY_ROLE", actors.grid.address)).toBe(true);
    expect(await has("Settlement", "PAYMENT_SOURCE_ROLE", actors.bank.address)).toBe(true);
    expect(await has("Settlement", "PAYMENT_SOURCE_ROLE", actors.retailA.address)).toBe(false);
    expect(await has("Tariffs", "RETAIL_COMPANY_ROLE", actors.retailB.address)).toBe(true);
    // the ПЦК 3/4 module: retail companies bill through it, it records invoices in Settlement
    expect(await has("HourlyBilling", "RETAIL_COMPANY_ROLE", actors.retailA.address)).toBe(true);
    expect(await has("Settlement", "BILLING_MODULE_ROLE", deployment.contracts.HourlyBilling!)).toBe(true);
    expect(await has("Settlement", "BILLING_MODULE_ROLE", actors.retailA.address)).toBe(false);
    expect(await has("HourlyBilling", "GRID_COMPANY_ROLE", actors.grid.address)).toBe(true);
    // the volumes module: Settlement records substitution state in it, it flags accounts in the Registry
    expect(await has("BillingVolumes", "SETTLEMENT_ROLE", deployment.contracts.Settlement!)).toBe(true);
    expect(await has("BillingVolumes", "SETTLEMENT_ROLE", actors.retailA.address)).toBe(false);
    expect(await has("Registry", "VOLUMES_MODULE_ROLE", deployment.contracts.BillingVolumes!)).toBe(true);
    expect(await has("BillingVolumes", "RETAIL_COMPANY_ROLE", actors.retailB.address)).toBe(true);
    expect(await has("BillingVolumes", "GRID_COMPANY_ROLE", actors.grid.address)).toBe(true);
    const rules = await client.readContract({
      address: deployment.contracts.BillingVolumes!,
      abi: gridLedgerArtifacts.BillingVolumes.abi,
      functionName: "substituteRules",
    });
    expect(rules).toEqual(DEFAULT_SUBSTITUTE_RULES);
    // the common-house module records ОДН invoices in Settlement; retail companies bill through it
    expect(await has("Settlement", "BILLING_MODULE_ROLE", deployment.contracts.CommonHouseBilling!)).toBe(
      true,
    );
    expect(await has("CommonHouseBilling", "RETAIL_COMPANY_ROLE", actors.retailA.address)).toBe(true);
    const org = await client.readContract({
      address: deployment.contracts.Registry!,
      abi: gridLedgerArtifacts.Registry.abi,
      functionName: "getOrganisation",
      args: [actors.bank.address],
    });
    expect(org.kind).toBe(4);
    expect(org.active).toBe(true);
  });
});

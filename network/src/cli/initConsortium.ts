import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import type { Hex } from "viem";
import { BESU_IMAGE, BESU_VERSION } from "../besu/besuVersion.js";
import { buildGenesis } from "../besu/buildGenesis.js";
import { buildPermissionsConfig } from "../besu/buildPermissionsConfig.js";
import { checkGenesis } from "../besu/checkGenesis.js";
import { formatEnode } from "../besu/formatEnode.js";
import { type NodeKey, nodeKey } from "../besu/nodeKey.js";
import { InvalidConsortiumError, NetworkError, OutputExistsError } from "../errors.js";
import { EVM_VERSION } from "../evmVersion.js";
import { consortiumLayout } from "./consortiumLayout.js";

/** Chain id used when none is given: unique to GridLedger, not a dev default nor a public chain. */
export const DEFAULT_CHAIN_ID = 20_261_127;

/** Docker bridge subnet (first three octets) that docker-compose.besu.yml uses by default. */
export const DEFAULT_SUBNET_PREFIX = "172.16.239";

export type InitConsortiumParameters = {
  /** Folder to create; must not exist or be empty. */
  outDir: string;
  /** Number of validators. Default: 4. */
  validators?: number | undefined;
  /** Member organisation names, one RPC node and one funded account each. Default: "Member 1"… per validator. */
  members?: readonly string[] | undefined;
  chainId?: number | undefined;
  blockPeriodSeconds?: number | undefined;
  requestTimeoutSeconds?: number | undefined;
  epochLength?: number | undefined;
  /** Default: 30 s (moderate, see besu-qbft.md §6). 0 turns it off. */
  emptyBlockPeriodSeconds?: number | undefined;
  gasLimit?: bigint | undefined;
  contractSizeLimit?: number | undefined;
  /** Balance of each organisation account, wei. Default: 10^24 (one million ether). */
  accountBalance?: bigint | undefined;
  /** First three octets of the Docker subnet. Default: {@link DEFAULT_SUBNET_PREFIX}. */
  subnetPrefix?: string | undefined;
  /** Per-node IP overrides (node name → IP), for members that run on their own hosts. */
  nodeIps?: Readonly<Record<string, string>> | undefined;
  /** RLPx port of every node. Default: 30303. */
  p2pPort?: number | undefined;
  /** Host name the TLS certificate is issued for. Default: `localhost`. */
  tlsHost?: string | undefined;
  /** Genesis timestamp. Default: now. */
  timestamp?: number | undefined;
};

export type ConsortiumNode = {
  name: string;
  role: "validator" | "rpc";
  member: string;
  address: Hex;
  publicKey: Hex;
  enode: string;
};

export type ConsortiumMember = {
  id: string;
  name: string;
  /** Organisation account: funded at genesis, on the account allowlist; the gateway's relayer key. */
  account: Hex;
  validators: string[];
  rpcNode: string;
};

/** `consortium.json`: everything public about the consortium, safe to share between members. */
export type ConsortiumDefinition = {
  chainId: number;
  besuVersion: string;
  besuImage: string;
  evmVersion: string;
  genesisSha256: string;
  faultTolerance: { validators: number; quorum: number; faultyTolerated: number };
  members: ConsortiumMember[];
  nodes: ConsortiumNode[];
};

export type InitConsortiumReturnType = {
  definition: ConsortiumDefinition;
  /** Things the operator should know (fewer than 4 validators, compose layout differences). */
  warnings: string[];
  /** Every file and folder written, relative to `outDir`. */
  written: string[];
};

/**
 * Creates a consortium definition folder: node keys for each validator and each member's RPC node,
 * organisation accounts, the QBFT genesis, static nodes, one permissions file per node, a TLS
 * certificate and database passwords for the compose deployment, and `compose.env`.
 *
 * It refuses a folder that already has content, so keys are never overwritten. Keys are written
 * owner-only (0600) in an owner-only folder (0700); see docs/network.md for why the compose file
 * runs Besu as the owner's uid.
 *
 * @param parameters - {@link InitConsortiumParameters}
 * @throws {OutputExistsError} If `outDir` exists and is not empty.
 * @throws {InvalidConsortiumError} For an impossible consortium (0 validators, duplicate names…).
 */
export function initConsortium(parameters: InitConsortiumParameters): InitConsortiumReturnType {
  const validatorCount = parameters.validators ?? 4;
  if (!Number.isSafeInteger(validatorCount) || validatorCount < 1) {
    throw new InvalidConsortiumError(
      `--validators must be a whole number of at least 1, got ${validatorCount}`,
    );
  }
  const memberNames = (
    parameters.members ?? Array.from({ length: validatorCount }, (_, i) => `Member ${i + 1}`)
  ).map((name) => name.trim());
  if (memberNames.length === 0 || memberNames.some((name) => name === "")) {
    throw new InvalidConsortiumError("--members must list at least one non-empty organisation name");
  }
  if (new Set(memberNames.map((n) => n.toLowerCase())).size !== memberNames.length) {
    throw new InvalidConsortiumError("--members lists the same organisation twice");
  }
  const subnetPrefix = parameters.subnetPrefix ?? DEFAULT_SUBNET_PREFIX;
  if (
    !/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(subnetPrefix) ||
    subnetPrefix.split(".").some((o) => Number(o) > 255)
  ) {
    throw new InvalidConsortiumError(
      `--subnet-prefix must be three octets such as 172.16.239, got ${subnetPrefix}`,
    );
  }
  const layout = consortiumLayout({ validators: validatorCount, members: memberNames.length });
  const unknownIp = Object.keys(parameters.nodeIps ?? {}).find(
    (name) => !layout.nodes.some((n) => n.name === name),
  );
  if (unknownIp)
    throw new InvalidConsortiumError(`--node-ip names ${unknownIp}, which is not a node of this consortium`);
  for (const [name, ip] of Object.entries(parameters.nodeIps ?? {})) {
    // Enode URLs carry IPs; Besu resolves host names only with experimental DNS flags.
    if (isIP(ip) === 0)
      throw new InvalidConsortiumError(`--node-ip ${name}=${ip}: ${ip} is not an IP address`);
  }
  const p2pPort = parameters.p2pPort ?? 30303;
  const tlsHost = parameters.tlsHost ?? "localhost";
  if (!/^[A-Za-z0-9.-]+$/.test(tlsHost))
    throw new InvalidConsortiumError(`--tls-host is not a host name: ${tlsHost}`);

  const outDir = path.resolve(parameters.outDir);
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    throw new OutputExistsError(
      `${outDir} already exists and is not empty; refusing to overwrite node keys`,
      {
        details:
          "choose another --out folder, or move the old one away if you really mean to start a new consortium",
      },
    );
  }
  assertOpensslAvailable();

  // Everything is computed before the first write, so a bad parameter leaves no half-written folder.
  const keys = new Map<string, NodeKey>(layout.nodes.map((n) => [n.name, nodeKey()]));
  const accounts = memberNames.map(() => nodeKey());
  const nodes: ConsortiumNode[] = layout.nodes.map((n) => {
    const key = keys.get(n.name)!;
    const ip = parameters.nodeIps?.[n.name] ?? `${subnetPrefix}.${n.hostOctet}`;
    return {
      name: n.name,
      role: n.role,
      member: `member${n.member + 1}`,
      address: key.address,
      publicKey: key.publicKey,
      enode: formatEnode({ nodeId: key.publicKey, ip, port: p2pPort }),
    };
  });
  const members: ConsortiumMember[] = memberNames.map((name, i) => ({
    id: `member${i + 1}`,
    name,
    account: accounts[i]!.address,
    validators: nodes
      .filter((n) => n.role === "validator" && n.member === `member${i + 1}`)
      .map((n) => n.name),
    rpcNode: `rpc${i + 1}`,
  }));
  const balance = parameters.accountBalance ?? 10n ** 24n;
  const genesis = buildGenesis({
    chainId: parameters.chainId ?? DEFAULT_CHAIN_ID,
    validators: nodes.filter((n) => n.role === "validator").map((n) => n.address),
    alloc: Object.fromEntries(members.map((m) => [m.account, balance])),
    blockPeriodSeconds: parameters.blockPeriodSeconds,
    requestTimeoutSeconds: parameters.requestTimeoutSeconds,
    epochLength: parameters.epochLength,
    emptyBlockPeriodSeconds: parameters.emptyBlockPeriodSeconds ?? 30,
    gasLimit: parameters.gasLimit,
    contractSizeLimit: parameters.contractSizeLimit,
    timestamp: parameters.timestamp ?? Math.floor(Date.now() / 1000),
  });
  checkGenesis(genesis);
  const genesisJson = `${JSON.stringify(genesis, null, 2)}\n`;
  const quorum = Math.ceil((2 * validatorCount) / 3);
  const definition: ConsortiumDefinition = {
    chainId: genesis.config.chainId,
    besuVersion: BESU_VERSION,
    besuImage: BESU_IMAGE,
    evmVersion: EVM_VERSION,
    genesisSha256: createHash("sha256").update(genesisJson).digest("hex"),
    faultTolerance: {
      validators: validatorCount,
      quorum,
      faultyTolerated: Math.floor((validatorCount - 1) / 3),
    },
    members,
    nodes,
  };
  const permissions = buildPermissionsConfig({
    nodes: nodes.map((n) => n.enode),
    accounts: members.map((m) => m.account),
  });

  const written: string[] = [];
  const write = (relative: string, content: string, mode = 0o644) => {
    const file = path.join(outDir, relative);
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // `wx`: never replace a file, even if something raced us into the folder.
    writeFileSync(file, content, { mode, flag: "wx" });
    written.push(relative);
  };
  const folder = (relative: string) => {
    mkdirSync(path.join(outDir, relative), { recursive: true, mode: 0o700 });
    written.push(`${relative}/`);
  };
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  write(".gitignore", "# Node keys and secrets: never commit this folder.\n*\n");
  write("genesis.json", genesisJson);
  write("consortium.json", `${JSON.stringify(definition, null, 2)}\n`);
  write("static-nodes.json", `${JSON.stringify(nodes.map((n) => n.enode).sort(), null, 2)}\n`);
  for (const node of nodes) {
    const key = keys.get(node.name)!;
    const dir = `nodes/${node.name}`;
    // Besu's key file format: 32 bytes of hex (the quickstart writes it without 0x).
    write(`${dir}/key`, `${key.privateKey.slice(2)}\n`, 0o600);
    write(`${dir}/key.pub`, `${key.publicKey}\n`);
    write(`${dir}/address`, `${key.address}\n`);
    write(`${dir}/enode`, `${node.enode}\n`);
    // One copy per node: Besu rewrites its own copy after perm_* calls, and lists may differ per node.
    write(`${dir}/permissions_config.toml`, permissions, 0o600);
    folder(`${dir}/data`);
  }
  members.forEach((member, i) => {
    write(`accounts/${member.id}/key`, `${accounts[i]!.privateKey}\n`, 0o600);
    write(`accounts/${member.id}/address`, `${member.account}\n`);
  });
  // Read inside the database container by its own user (uid 999), so not 0600; the 0700 folder
  // keeps other users of this host out. base64url: safe inside the gateway's database URL.
  const dbPassword = randomBytes(24).toString("base64url");
  write("secrets/db_root_password", randomBytes(24).toString("base64url"), 0o644);
  write("secrets/db_password", dbPassword, 0o644);
  folder("tls");
  createCertificate(path.join(outDir, "tls"), tlsHost);
  written.push("tls/server.crt", "tls/server.key");
  write(
    "compose.env",
    [
      "# Written by `network init`. Use: docker-compose --env-file <this file> -f docker-compose.besu.yml up -d --build",
      `GRIDLEDGER_NETWORK_DIR=${outDir}`,
      `GRIDLEDGER_SUBNET_PREFIX=${subnetPrefix}`,
      `GRIDLEDGER_DB_PASSWORD=${dbPassword}`,
      `GRIDLEDGER_UID=${process.getuid?.() ?? 1000}`,
      `GRIDLEDGER_GID=${process.getgid?.() ?? 1000}`,
      `GRIDLEDGER_TLS_HOST=${tlsHost}`,
      "",
    ].join("\n"),
    0o600,
  );

  const warnings: string[] = [];
  if (validatorCount < 4) {
    warnings.push(
      `${validatorCount} validator${validatorCount === 1 ? "" : "s"} tolerate no faulty validator: QBFT needs 3f+1 validators to tolerate f faults, so use at least 4 in production.`,
    );
  }
  if (validatorCount < 4) {
    warnings.push(
      `docker-compose.besu.yml mounts validator1-validator4; with ${validatorCount} validators it does not start as it is (docs/network.md, "Running across several hosts").`,
    );
  } else if (validatorCount > 4) {
    warnings.push(
      `docker-compose.besu.yml runs validator1-validator4 and rpc1 on one host; run validator5-validator${validatorCount} on their members' hosts (docs/network.md).`,
    );
  }
  return { definition, warnings, written };
}

function assertOpensslAvailable(): void {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
  } catch (cause) {
    throw new NetworkError("openssl is needed to create the TLS certificate for nginx, and was not found", {
      details: "install it (Debian: apt-get install openssl) and run init again",
      cause,
    });
  }
}

/** A self-signed certificate so that nginx starts; replace it with the consortium's own (docs). */
function createCertificate(dir: string, host: string): void {
  const altNames = ["DNS:localhost", "IP:127.0.0.1", ...(host === "localhost" ? [] : [`DNS:${host}`])];
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      // ECDSA P-256: accepted by every current browser and client, and quick to generate.
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-sha256",
      "-days",
      "825",
      "-nodes",
      "-keyout",
      path.join(dir, "server.key"),
      "-out",
      path.join(dir, "server.crt"),
      "-subj",
      `/CN=${host}`,
      "-addext",
      `subjectAltName=${altNames.join(",")}`,
    ],
    { stdio: "ignore" },
  );
}

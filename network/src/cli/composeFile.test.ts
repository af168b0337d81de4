import { execFile, execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BESU_IMAGE } from "../besu/besuVersion.js";
import { parseEnode } from "../besu/parseEnode.js";
import { type InitConsortiumReturnType, initConsortium } from "./initConsortium.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const composeFile = path.join(repoRoot, "docker-compose.besu.yml");
const composeText = readFileSync(composeFile, "utf8");
const DOCKER_COMPOSE = "/usr/bin/docker-compose";
// biome-ignore lint/suspicious/noTemplateCurlyInString: a docker-compose variable, not a JS template
const NETWORK_DIR = "${GRIDLEDGER_NETWORK_DIR:-./network/output}";

let tmp: string;
let out: string;
let init: InitConsortiumReturnType;

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), "gridledger-compose-"));
  out = path.join(tmp, "output");
  init = initConsortium({
    outDir: out,
    validators: 4,
    members: ["Grid Co", "Retail A", "Retail B", "Operator"],
  });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("docker-compose.besu.yml against `network init`", () => {
  it("mounts only paths that `network init` produces (files as files, folders as folders)", () => {
    // Every reference to the init folder in the compose file: volumes and secrets alike.
    const references = [
      ...composeText.matchAll(/\$\{GRIDLEDGER_NETWORK_DIR:-\.\/network\/output\}\/([^\s:]+)/g),
    ].map((m) => m[1]!);
    expect(references.length).toBeGreaterThan(20);
    // deployments.json comes from the contracts' deploy step (docs/deployment.md), run after init
    // and before the gateway starts; everything else must come from init itself.
    const writtenByDeploy = new Set(["deployments.json"]);
    for (const relative of new Set(references)) {
      if (writtenByDeploy.has(relative)) continue;
      const produced = path.join(out, relative);
      expect(existsSync(produced), `${relative} is mounted but init does not write it`).toBe(true);
      const written = init.written.includes(relative) || init.written.includes(`${relative}/`);
      expect(written, `${relative} is not in init's list of written paths`).toBe(true);
      const isFolder = statSync(produced).isDirectory();
      expect(isFolder, `${relative} folder/file kind`).toBe(
        ["data", "tls"].includes(path.basename(relative)),
      );
    }
    for (const node of ["validator1", "validator2", "validator3", "validator4", "rpc1"]) {
      for (const file of ["key", "permissions_config.toml", "data"]) {
        expect(references).toContain(`nodes/${node}/${file}`);
      }
    }
  });

  it("mounts repository files that exist", () => {
    for (const [, relative] of composeText.matchAll(/^\s+- \.\/([^\s:]+):/gm)) {
      expect(existsSync(path.join(repoRoot, relative!)), relative).toBe(true);
    }
    for (const [, dockerfile] of composeText.matchAll(/dockerfile: (\S+)/g)) {
      expect(existsSync(path.join(repoRoot, dockerfile!)), dockerfile).toBe(true);
    }
  });

  it("gives each Besu node the static IP its enode carries, min gas price 0 and no removed API group", () => {
    for (const node of init.definition.nodes.filter((n) =>
      ["validator1", "validator2", "validator3", "validator4", "rpc1"].includes(n.name),
    )) {
      const octet = parseEnode(node.enode).ip.split(".")[3];
      const block = serviceBlock(node.name);
      expect(block).toContain(`--p2p-host=\${GRIDLEDGER_SUBNET_PREFIX:-172.16.239}.${octet}`);
      expect(block).toContain(`ipv4_address: \${GRIDLEDGER_SUBNET_PREFIX:-172.16.239}.${octet}`);
      expect(block).toContain("--min-gas-price=0");
      expect(block).toContain(`${NETWORK_DIR}/nodes/${node.name}/key:/keys/key:ro`);
    }
    expect(composeText).toContain(`image: ${BESU_IMAGE}`);
    expect(composeText).not.toMatch(/EEA|PRIV|permissions-(nodes|accounts)-contract|privacy-/);
    expect(serviceBlock("rpc1")).toContain("--rpc-http-api=ETH,NET,WEB3\n");
  });

  it("starts with an env file that init writes", () => {
    const env = readFileSync(path.join(out, "compose.env"), "utf8");
    for (const variable of new Set(
      [...composeText.matchAll(/\$\{(GRIDLEDGER_[A-Z_]+)/g)].map((m) => m[1]!),
    )) {
      expect(env, variable).toContain(`${variable}=`);
    }
  });
});

describe.runIf(existsSync(DOCKER_COMPOSE))("docker-compose config", () => {
  function config(envFile?: string): { status: number | null; stdout: string; stderr: string } {
    const args = [...(envFile ? ["--env-file", envFile] : []), "-f", composeFile, "config"];
    const result = spawnSync(DOCKER_COMPOSE, args, { cwd: repoRoot, encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it("validates the compose file with init's compose.env and resolves every mount into the init folder", () => {
    const result = config(path.join(out, "compose.env"));
    expect(result.stderr).not.toMatch(/ERROR/);
    expect(result.status).toBe(0);
    const resolved = toJson(result.stdout) as {
      services: Record<string, { volumes?: string[]; image?: string }>;
      secrets: Record<string, { file: string }>;
    };
    // Bind-mount sources (absolute after interpolation) and secret files: none may be missing.
    const sources = [
      ...Object.values(resolved.services).flatMap((service) =>
        (service.volumes ?? [])
          .map((volume) => volume.split(":")[0]!)
          .filter((source) => source.startsWith("/")),
      ),
      ...Object.values(resolved.secrets).map((secret) => secret.file),
    ];
    expect(sources.filter((source) => source.startsWith(`${out}/`)).length).toBeGreaterThan(20);
    for (const source of sources) {
      if (source === path.join(out, "deployments.json")) continue; // written by the deploy step
      expect(existsSync(source), source).toBe(true);
    }
    expect(Object.keys(resolved.services).sort()).toEqual([
      "db",
      "gateway",
      "nginx",
      "portal",
      "redis",
      "rpc1",
      "validator1",
      "validator2",
      "validator3",
      "validator4",
    ]);
  });

  it("refuses to run without init's env file, instead of starting a database with an empty password", () => {
    const result = config();
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/GRIDLEDGER_DB_PASSWORD.*pass --env-file network\/output\/compose.env/s);
  });

  it("hands the gateway only settings it knows, with the database password of init", () => {
    const resolved = toJson(config(path.join(out, "compose.env")).stdout) as {
      services: { gateway: { environment: Record<string, string> } };
    };
    const environment = resolved.services.gateway.environment;
    const password = readFileSync(path.join(out, "secrets", "db_password"), "utf8");
    expect(environment.GRIDLEDGER_DATABASE_URL).toBe(`mariadb://gridledger:${password}@db:3306/gridledger`);
    expect(environment.GRIDLEDGER_RPC_URL).toBe("http://rpc1:8545");
    expect(
      Object.keys(environment)
        .filter((name) => name.startsWith("GRIDLEDGER_"))
        .sort(),
    ).toEqual([
      "GRIDLEDGER_DATABASE_URL",
      "GRIDLEDGER_DATA_DIR",
      "GRIDLEDGER_DEMO_DATA",
      "GRIDLEDGER_DEPLOYMENTS_FILE",
      "GRIDLEDGER_GATEWAY_PORT",
      "GRIDLEDGER_HOST",
      "GRIDLEDGER_LOG_LEVEL",
      "GRIDLEDGER_REDIS_URL",
      "GRIDLEDGER_RELAYER_KEY_FILE",
      "GRIDLEDGER_RPC_URL",
    ]);
    // The gateway refuses unknown GRIDLEDGER_* names: every one given must be a setting it declares.
    const settings = readFileSync(path.join(repoRoot, "gateway/src/config/systemConfig.ts"), "utf8");
    for (const name of Object.keys(environment).filter((n) => n.startsWith("GRIDLEDGER_"))) {
      expect(settings, name).toMatch(new RegExp(`^\\s+${name}:`, "m"));
    }
  });

  it("runs a healthcheck that tells a ready Besu from an unready one", async () => {
    const test = healthcheckCommand(config(path.join(out, "compose.env")).stdout);
    expect(test).toContain("/readiness");
    for (const [status, healthy] of [
      [200, true],
      [503, false],
    ] as const) {
      const server = await listen(status);
      const port = (server.address() as AddressInfo).port;
      // Asynchronously: the server answering the probe runs in this process.
      const exitCode = await promisify(execFile)(
        "bash",
        ["-c", test.replace("/127.0.0.1/8545", `/127.0.0.1/${port}`)],
        {
          timeout: 10_000,
        },
      ).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
      server.close();
      expect(exitCode === 0, `HTTP ${status}`).toBe(healthy);
    }
  });
});

/** docker-compose prints YAML; Debian's docker-compose runs on python3-yaml, so that reads it back. */
function toJson(yamlText: string): unknown {
  const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  const script = "import json,sys,yaml; print(json.dumps(yaml.safe_load(sys.stdin)))";
  return JSON.parse(execFileSync(python, ["-c", script], { input: yamlText, encoding: "utf8" }));
}

/** The text of one service in the compose file, up to the next service. */
function serviceBlock(name: string): string {
  const start = composeText.indexOf(`\n  ${name}:\n`);
  expect(start).toBeGreaterThan(0);
  const next = composeText.slice(start + 1).search(/\n {2}[a-z0-9-]+:\n/);
  return composeText.slice(start, next < 0 ? undefined : start + 1 + next + 1);
}

/** The bash one-liner of validator1's healthcheck, as docker-compose resolved it. */
function healthcheckCommand(resolved: string): string {
  const test = (toJson(resolved) as { services: { validator1: { healthcheck: { test: string[] } } } })
    .services.validator1.healthcheck.test;
  expect(test.slice(0, 3)).toEqual(["CMD", "bash", "-c"]);
  return test[3]!;
}

function listen(status: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((request, response) => {
      response.writeHead(request.url?.startsWith("/readiness") ? status : 404, {
        "content-type": "application/json",
      });
      response.end(JSON.stringify({ status: status === 200 ? "UP" : "DOWN" }));
    });
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

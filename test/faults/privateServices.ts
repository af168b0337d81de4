import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { accessSync, constants, mkdirSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";

/**
 * Private MariaDB and Redis servers for the fault test: CI runs every test file in parallel against
 * the shared ones (3306, 6379), which must never be stopped, so this test starts its own on free
 * ports and stops and restarts those.
 */
export const MARIADBD = "/usr/sbin/mariadbd";
export const MARIADB_INSTALL_DB = "/usr/bin/mariadb-install-db";
export const REDIS_SERVER = "/usr/bin/redis-server";

/** Fails loudly, naming the Debian package, when a server binary is missing (never skips). */
export function requireBinaries(): void {
  for (const [binary, pkg] of [
    [MARIADBD, "mariadb-server"],
    [MARIADB_INSTALL_DB, "mariadb-server"],
    [REDIS_SERVER, "redis-server"],
  ] as const) {
    try {
      accessSync(binary, constants.X_OK);
    } catch {
      throw new Error(
        `The fault test needs ${binary} (Debian package ${pkg}); install it: apt-get install ${pkg}`,
      );
    }
  }
}

export type PrivateServer = { port: number; url: string; start(): Promise<void>; stop(): Promise<void> };

function waitForPort(port: number, timeoutMs: number, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const why = exited();
      if (why) return reject(new Error(why));
      const socket = connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on port ${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

function supervise(
  command: string,
  args: string[],
  port: number,
  label: string,
): PrivateServer["start"] & {
  stop(): Promise<void>;
} {
  let child: ChildProcess | undefined;
  let output = "";
  const start = async () => {
    output = "";
    const spawned = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    child = spawned;
    spawned.stdout?.on("data", (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-3000);
    });
    spawned.stderr?.on("data", (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-3000);
    });
    await waitForPort(port, 30_000, () =>
      spawned.exitCode !== null ? `${label} exited with ${spawned.exitCode}: ${output}` : undefined,
    );
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    const timer = setTimeout(() => running.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };
  return Object.assign(start, { stop });
}

export async function privateMariaDb(folder: string, port: number): Promise<PrivateServer> {
  const datadir = path.join(folder, "mariadb");
  mkdirSync(datadir, { recursive: true });
  const user = process.getuid?.() === 0 ? ["--user=root"] : [];
  const install = spawnSync(
    MARIADB_INSTALL_DB,
    [
      "--no-defaults",
      `--datadir=${datadir}`,
      "--skip-test-db",
      "--auth-root-authentication-method=normal",
      ...user,
    ],
    { encoding: "utf8" },
  );
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);
  const server = supervise(
    MARIADBD,
    [
      "--no-defaults",
      `--datadir=${datadir}`,
      `--port=${port}`,
      `--socket=${path.join(folder, "mariadb.sock")}`,
      `--pid-file=${path.join(folder, "mariadb.pid")}`,
      "--bind-address=127.0.0.1",
      "--skip-grant-tables",
      "--skip-log-bin",
      "--innodb-buffer-pool-size=32M",
      "--innodb-log-file-size=16M",
      ...user,
    ],
    port,
    "mariadbd",
  );
  return { port, url: `mysql://root@127.0.0.1:${port}/gl_faults`, start: server, stop: server.stop };
}

export function privateRedis(port: number): PrivateServer {
  const server = supervise(
    REDIS_SERVER,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    port,
    "redis-server",
  );
  return { port, url: `redis://127.0.0.1:${port}`, start: server, stop: server.stop };
}

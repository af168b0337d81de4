import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Helpers for tests that need Debian tools (socat, python3-pymodbus, python3-can, mbpoll). They
 * fail loudly when a tool is missing: CI installs them (`apt-get install -y socat python3-pymodbus
 * mbpoll python3-can`).
 */
export const PYTHON = "/usr/bin/python3";

export function requireTool(command: string, args: string[], hint: string): void {
  try {
    execFileSync(command, args, { stdio: "ignore", timeout: 10_000 });
  } catch {
    throw new Error(`required test tool missing: ${command} ${args.join(" ")} failed. Install it: ${hint}`);
  }
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export type PtyPair = { a: string; b: string; process: ChildProcess; stop(): Promise<void> };

/** A socat pty pair with stable symlinks (reference §6). */
export async function startPtyPair(): Promise<PtyPair> {
  requireTool("socat", ["-V"], "apt-get install -y socat");
  const dir = mkdtempSync(join(tmpdir(), "agent-pty-"));
  const a = join(dir, "ttyA");
  const b = join(dir, "ttyB");
  const child = spawn("socat", ["-d", "-d", `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: "ignore",
  });
  await waitFor(() => existsSync(a) && existsSync(b), 5000, "socat pty links");
  return { a, b, process: child, stop: () => stopProcess(child) };
}

export function startPython(
  script: string,
  args: string[],
): { process: ChildProcess; output: () => string; stop(): Promise<void> } {
  let output = "";
  const child = spawn(PYTHON, [script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr!.on("data", (chunk) => {
    output += chunk;
  });
  return { process: child, output: () => output, stop: () => stopProcess(child) };
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
  await exited;
  clearTimeout(timer);
}

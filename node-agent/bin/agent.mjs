#!/bin/sh
//bin/true; exec /usr/bin/env node --max-semi-space-size=1 "$0" "$@"
// The line above is a command for sh and a comment for JavaScript. Run as a program (`./agent.mjs`,
// the npm bin, the systemd unit), sh restarts this file under node with a 1 MB young-generation
// semi-space: polling 32 meters the agent then stays near 77 MB resident instead of ~90 MB
// (`npm run bench:agent`). Started as `node bin/agent.mjs run …` without the flag, the `run` command
// executes in a worker thread whose young generation is limited the same way, because V8 sizes the
// main isolate's semi-space when node starts: `v8.setFlagsFromString` afterwards changes nothing
// (measured, docs/benchmarks.md). A --max-semi-space-size given in NODE_OPTIONS or on the command
// line is respected as it is. The compiled CLI lives in dist/ (build with `npx tsc -b node-agent`).
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

/** The worker's young generation (MB): what --max-semi-space-size=1 gives the main isolate. */
const YOUNG_GENERATION_MB = 3;
const SIGNALS = ["SIGTERM", "SIGINT"];

const youngGenerationSet = () =>
  [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)].some((option) =>
    option.startsWith("--max-semi-space-size"),
  );

if (!isMainThread) {
  // Signals reach only the main thread, which passes them on; `agent run` listens on `process`.
  parentPort.on("message", (message) => {
    if (SIGNALS.includes(message?.signal)) process.emit(message.signal, message.signal);
  });
  parentPort.unref();
  const { main } = await import("../dist/cli/main.js");
  await main(workerData.argv);
} else if (process.argv[2] === "run" && !youngGenerationSet()) {
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { argv: process.argv },
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  for (const signal of SIGNALS) process.on(signal, () => worker.postMessage({ signal }));
  worker.on("error", (error) => {
    process.stderr.write(`agent: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  });
  worker.on("exit", (code) => {
    process.exit(process.exitCode ?? code);
  });
} else {
  const { main } = await import("../dist/cli/main.js");
  await main();
}

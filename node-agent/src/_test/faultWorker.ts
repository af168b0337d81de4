/**
 * The agent as a separate process for the SIGKILL fault test and the memory benchmark: the real
 * Agent, outbox and GraphQL uploader, with simulated meters on an accelerated clock that all
 * restarts share. Environment: AGENT_CONFIG (file), AGENT_KEY (hex), CLOCK_REAL_START,
 * CLOCK_SIM_START, CLOCK_SPEED, and DRAIN_ONLY=1 to only empty the outbox and exit.
 */
import { join } from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import { Agent } from "../agent.js";
import { loadConfig } from "../config/config.js";
import { createLogger } from "../logger.js";
import { Outbox } from "../outbox/outbox.js";
import { acceleratedClock } from "../schedule/clock.js";
import { GraphqlUploader } from "../upload/graphqlUploader.js";

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const config = loadConfig(env("AGENT_CONFIG"));
const outbox = new Outbox(join(config.dataDir, "outbox.sqlite"));
const clock = acceleratedClock({
  realStartMs: Number(env("CLOCK_REAL_START")),
  simulatedStartMs: Number(env("CLOCK_SIM_START")),
  speed: Number(env("CLOCK_SPEED")),
});
const agent = new Agent({
  config,
  outbox,
  account: privateKeyToAccount(env("AGENT_KEY") as `0x${string}`),
  clock,
  logger: createLogger({ level: (process.env.AGENT_LOG_LEVEL as "warn") ?? "warn" }),
  uploader: new GraphqlUploader({ url: config.gateway.url, timeoutMs: 2000 }),
});

if (process.env.DRAIN_ONLY) {
  for (;;) {
    const outcome = await agent.uploadOnce();
    if (outcome === "idle") break;
    if (outcome === "retry" || outcome === "blocked")
      await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await agent.stop();
  outbox.close();
  process.stdout.write("drained\n");
} else {
  agent.start();
  process.stdout.write("started\n");
  if (process.env.REPORT_RSS) {
    setInterval(() => process.stdout.write(`rss ${process.memoryUsage().rss}\n`), 250).unref();
  }
  process.once("SIGTERM", async () => {
    await agent.stop();
    outbox.close();
    process.exit(0);
  });
}

export { Agent, type AgentParameters } from "./agent.js";
export * from "./config/config.js";
export {
  type DemoContracts,
  type DemoMeter,
  deriveDeviceKey,
  type RunningDemoAgents,
  type StartDemoAgentsParameters,
  startDemoAgents,
} from "./demo/startDemoAgents.js";
export * from "./drivers/driver.js";
export * from "./drivers/factory.js";
export * from "./drivers/registerMaps.js";
export * from "./errors.js";
export * from "./logger.js";
export * from "./outbox/outbox.js";
export * from "./session/session.js";
export * from "./signing/deviceKey.js";
export * from "./transport/transport.js";
export * from "./upload/graphqlUploader.js";
export * from "./upload/uploader.js";

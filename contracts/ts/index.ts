export * from "../abi/index.js";
export * from "./billing/index.js";
export * from "./contracts.js";
export * from "./deploy/index.js";
export * from "./events/index.js";
export * from "./roles.js";

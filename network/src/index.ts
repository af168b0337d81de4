export * from "./devChain/devAccounts.js";
export * from "./devChain/ports.js";
export * from "./devChain/startDevChain.js";
export * from "./errors.js";
export * from "./evmVersion.js";

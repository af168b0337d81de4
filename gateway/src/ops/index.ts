export * from "./backupDatabase.js";
export * from "./backupManifest.js";
export * from "./opsErrors.js";
export * from "./restoreDatabase.js";
export * from "./verifyAgainstChain.js";

export * from "./deployGridLedger.js";
export * from "./upgradeGridLedger.js";

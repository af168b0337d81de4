export * from "./deployGridLedger.js";

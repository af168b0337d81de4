export * from "./deployBillingCalculator.js";
export * from "./evaluateBillingCaseOnChain.js";

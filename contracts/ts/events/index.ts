export * from "./invoiceLines.js";

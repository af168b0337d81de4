export * from "./entities/index.js";
export * from "./openDatabase.js";
export * from "./queries/readingsPage.js";

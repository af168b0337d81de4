export * from "./createIndexer.js";
export * from "./errors.js";
export * from "./indexing/decodeLogs.js";
export * from "./indexing/values.js";
export * from "./reindex.js";
export * from "./store/chainTables.js";
export * from "./sync/createChainReader.js";

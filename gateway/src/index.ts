export * from "./config/systemConfig.js";
export * from "./internal/errors.js";
export * from "./server/createGatewayServer.js";
export * from "./system/servePortal.js";
export * from "./system/startSystem.js";

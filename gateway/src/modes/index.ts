export * from "./createModeController.js";
export * from "./maintenanceWindow.js";
export * from "./modeErrors.js";
export * from "./probes.js";
export * from "./registerOperationalRoutes.js";
export * from "./writeGuard.js";

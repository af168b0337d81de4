import { createRequire } from "node:module";

/**
 * graphql's CommonJS build, the one type-graphql builds the schema with. Under vitest a plain
 * `import "graphql"` in gateway sources resolves to the ESM build, a second realm whose
 * `isObjectType` and `validate` refuse the schema's types; Node itself loads the CommonJS build for
 * both, so this is the same module in production (see scripts/printSchema.ts).
 */
export const graphql = createRequire(import.meta.url)("graphql") as typeof import("graphql");

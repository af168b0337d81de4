/**
 * Prints the gateway's GraphQL schema (SDL) as the code defines it: `npm run schema -w gateway`.
 * The schema is built from the resolvers, never kept by hand, so this is the one way to read it whole.
 */
import { createRequire } from "node:module";
import { buildGatewaySchema } from "../src/graphql/buildGatewaySchema.js";

// type-graphql loads graphql's CommonJS build; printing with the ESM build would be a second realm
const { printSchema } = createRequire(import.meta.url)("graphql") as typeof import("graphql");
process.stdout.write(`${printSchema(await buildGatewaySchema())}\n`);

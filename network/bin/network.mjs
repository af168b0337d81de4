#!/usr/bin/env node
// Launcher for the built CLI (network/dist). Build first: npm run build.
import { runNetworkCli } from "../dist/cli/index.js";

await runNetworkCli(process.argv);

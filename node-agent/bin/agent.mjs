#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (build with `npx tsc -b node-agent`).
import { main } from "../dist/cli/main.js";

await main();

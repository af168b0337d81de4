#!/usr/bin/env node
// Prints the gzipped size of the JavaScript the login route needs on first load: the client entry
// points, the root layout, the login page and everything they import statically (from Vite's
// manifest and SvelteKit's route dictionary). Fails when it exceeds the budget.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 200 * 1024;
const portal = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const output = path.join(portal, ".svelte-kit", "output", "client");
const manifest = JSON.parse(readFileSync(path.join(output, ".vite", "manifest.json"), "utf8"));
const app = readFileSync(path.join(portal, ".svelte-kit", "generated", "client-optimized", "app.js"), "utf8");

// "/login": [~3] or [3] in the dictionary; layouts other than the root would follow in the array
const match = /"\/login":\s*\[~?(\d+)((?:,\s*\[[^\]]*\])?)/.exec(app);
if (!match) throw new Error("the /login route is missing from .svelte-kit/generated/client-optimized/app.js");
const nodes = [0, Number(match[1])];
for (const layout of (match[2] ?? "").matchAll(/\d+/g)) nodes.push(Number(layout[0]));

const roots = new Set(
  Object.keys(manifest).filter(
    (key) => manifest[key].isEntry && /entry\/(start|app)/.test(manifest[key].file),
  ),
);
for (const node of nodes) roots.add(`.svelte-kit/generated/client-optimized/nodes/${node}.js`);

const files = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk) throw new Error(`not in the Vite manifest: ${key}`);
  if (files.has(chunk.file)) return;
  files.add(chunk.file);
  for (const imported of chunk.imports ?? []) visit(imported);
};
for (const key of roots) visit(key);

let raw = 0;
let gzipped = 0;
for (const file of files) {
  const content = readFileSync(path.join(output, file));
  raw += content.length;
  gzipped += gzipSync(content, { level: 9 }).length;
}
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(
  `portal: the login route's initial JavaScript is ${kb(gzipped)} gzipped (${kb(raw)} raw, ${files.size} files; budget ${kb(BUDGET_BYTES)})`,
);
if (gzipped > BUDGET_BYTES) {
  console.error("portal: over the budget");
  process.exitCode = 1;
}

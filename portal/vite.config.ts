import { sveltekit } from "@sveltejs/kit/vite";
import { defaultClientConditions, defineConfig } from "vite";

const gateway = process.env.GRIDLEDGER_GATEWAY_URL ?? "http://127.0.0.1:4000";

export default defineConfig({
  plugins: [sveltekit()],
  // `source` lets the portal import @gridledger/domain from its TypeScript; the defaults keep
  // `browser`, without which Svelte resolves its server runtime.
  resolve: { conditions: ["source", ...defaultClientConditions] },
  server: {
    // `npm run dev --workspace portal` talks to a running gateway through the same paths as production
    proxy: {
      "/graphql": gateway,
      "/api": gateway,
      "/documents": gateway,
      "/health": gateway,
      "/ready": gateway,
    },
  },
});

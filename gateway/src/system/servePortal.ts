import { createReadStream, existsSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";

export type ServePortalParameters = {
  /** The portal's static build (portal/build). */
  buildDir: string;
  /** Where /graphql, /api, /health, /ready and /metrics go. */
  gatewayUrl: string;
  host: string;
  port: number;
};

export type PortalServer = { url: string; close(): Promise<void> };

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
};
const PROXIED = ["/graphql", "/api/", "/documents/", "/health", "/ready", "/metrics"];

/**
 * Serves the portal's single-page build and passes the API paths through to the gateway, so that
 * the browser talks to one origin exactly as it does behind nginx in production.
 */
export async function servePortal({
  buildDir,
  gatewayUrl,
  host,
  port,
}: ServePortalParameters): Promise<PortalServer> {
  const root = path.resolve(buildDir);
  if (!existsSync(path.join(root, "index.html"))) {
    throw new Error(`The portal is not built: ${root}/index.html is missing (run npm run build)`);
  }
  const target = new URL(gatewayUrl);
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://portal");
    if (PROXIED.some((prefix) => url.pathname === prefix || url.pathname.startsWith(prefix))) {
      const upstream = http.request(
        {
          hostname: target.hostname,
          port: target.port,
          path: `${url.pathname}${url.search}`,
          method: request.method,
          headers: {
            ...request.headers,
            host: target.host,
            "x-forwarded-for": request.socket.remoteAddress ?? "",
          },
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on("error", () => {
        if (!response.headersSent) response.writeHead(502, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: "the gateway does not answer" }));
      });
      request.pipe(upstream);
      return;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    // Resolve inside the build folder only; anything else (or a missing file) gets the app shell.
    const requested = path.resolve(root, `.${decodeURIComponent(url.pathname)}`);
    const inside = requested.startsWith(`${root}${path.sep}`);
    const file =
      inside && existsSync(requested) && statSync(requested).isFile()
        ? requested
        : path.join(root, "index.html");
    const immutable = file.includes(`${path.sep}_app${path.sep}immutable${path.sep}`);
    response.writeHead(200, {
      "content-type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream",
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      "x-content-type-options": "nosniff",
    });
    if (request.method === "HEAD") response.end();
    else createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port }, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://${host}:${boundPort}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

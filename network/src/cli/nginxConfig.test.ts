import { execFile, execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { request } from "node:https";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const NGINX = "/usr/sbin/nginx";
const conf = readFileSync(
  fileURLToPath(new URL("../../../deploy/nginx/nginx.conf", import.meta.url)),
  "utf8",
);
const portalConf = readFileSync(
  fileURLToPath(new URL("../../../deploy/nginx/portal.conf", import.meta.url)),
  "utf8",
);

/**
 * Runs deploy/nginx/nginx.conf with a local nginx (Debian's, older than the image's, hence no
 * `http2 on`), the upstream names pointed at stand-ins on loopback, and checks what reaches them.
 */
describe.runIf(existsSync(NGINX))("deploy/nginx/nginx.conf", () => {
  let dir: string;
  let confFile: string;
  let httpsPort: number;
  let httpPort: number;
  const upstreams: Server[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "gridledger-nginx-"));
    mkdirSync(path.join(dir, "logs"));
    execFileSync(
      "openssl",
      [
        ...[
          "req",
          "-x509",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:prime256v1",
          "-nodes",
          "-days",
          "1",
        ],
        ...[
          "-keyout",
          path.join(dir, "server.key"),
          "-out",
          path.join(dir, "server.crt"),
          "-subj",
          "/CN=localhost",
        ],
      ],
      { stdio: "ignore" },
    );
    const echo = (name: string) =>
      createHttpServer((req, res) => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ name, method: req.method, url: req.url, headers: req.headers }));
      });
    const gateway = await listen(echo("gateway"));
    const portal = await listen(echo("portal"));
    upstreams.push(gateway.server, portal.server);
    [httpsPort, httpPort] = [await freePort(), await freePort()];
    confFile = path.join(dir, "nginx.conf");
    writeFileSync(
      confFile,
      conf
        .replaceAll("/etc/nginx/tls", dir)
        .replaceAll("/var/log/nginx/gridledger", path.join(dir, "logs"))
        .replace("/var/run/nginx.pid", path.join(dir, "nginx.pid"))
        .replace(/^\s*http2 on;$/m, "")
        .replace("resolver 127.0.0.11", "resolver 127.0.0.1")
        .replace("http://gateway:4000", `http://127.0.0.1:${gateway.port}`)
        .replace("http://portal:8080", `http://127.0.0.1:${portal.port}`)
        .replace("listen 443 ssl;", `listen 127.0.0.1:${httpsPort} ssl;`)
        .replace("listen 80;", `listen 127.0.0.1:${httpPort};`),
    );
    await promisify(execFile)(NGINX, ["-c", confFile, "-e", path.join(dir, "logs", "startup.log")]);
  });

  afterAll(async () => {
    await promisify(execFile)(NGINX, [
      "-c",
      confFile,
      "-e",
      path.join(dir, "logs", "startup.log"),
      "-s",
      "stop",
    ]);
    for (const server of upstreams) server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends /graphql, /api/ and /documents/ to the gateway and the rest to the portal, with the forwarding headers", async () => {
    const graphql = await get("/graphql", { method: "POST" });
    expect(graphql).toMatchObject({ name: "gateway", method: "POST", url: "/graphql" });
    const api = await get("/api/v1/meters?page=2");
    expect(api).toMatchObject({ name: "gateway", url: "/api/v1/meters?page=2" });
    expect(api.headers).toMatchObject({ "x-forwarded-proto": "https", "x-real-ip": "127.0.0.1" });
    expect(api.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
    const document = await get("/documents/invoices/7");
    expect(document).toMatchObject({ name: "gateway", url: "/documents/invoices/7" });
    expect(await get("/cabinet/grid")).toMatchObject({ name: "portal", url: "/cabinet/grid" });
    expect((await get("/cabinet/grid")).headers).toMatchObject({ "x-forwarded-proto": "https" });
  });

  it("passes a WebSocket upgrade on /graphql", async () => {
    const upgraded = await get("/graphql", { headers: { upgrade: "websocket", connection: "Upgrade" } });
    expect(upgraded.headers).toMatchObject({ upgrade: "websocket", connection: "upgrade" });
  });

  it("writes an access log line with request and upstream times", async () => {
    await get("/api/health-check-for-log");
    const log = readFileSync(path.join(dir, "logs", "access.log"), "utf8");
    expect(log).toMatch(
      /"GET \/api\/health-check-for-log HTTP\/1\.1" 200 \d+ .* rt=[\d.]+ upstream=127\.0\.0\.1:\d+ ut=[\d.]+/,
    );
  });

  it("redirects plain HTTP to HTTPS and answers the healthcheck on HTTP", async () => {
    const redirect = await fetch(`http://127.0.0.1:${httpPort}/cabinet`, { redirect: "manual" });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe("https://127.0.0.1/cabinet");
    expect(await (await fetch(`http://127.0.0.1:${httpPort}/healthz`)).text()).toBe("ok\n");
  });

  type Echo = { name: string; method: string; url: string; headers: Record<string, string> };
  function get(
    pathname: string,
    options: { method?: string; headers?: Record<string, string> } = {},
  ): Promise<Echo> {
    return new Promise((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port: httpsPort, path: pathname, rejectUnauthorized: false, ...options },
        (res) => {
          let body = "";
          res.on("data", (chunk) => (body += chunk));
          res.on("end", () => resolve(JSON.parse(body)));
        },
      );
      req.on("error", reject);
      req.end();
    });
  }
});

describe.runIf(existsSync(NGINX))("deploy/nginx/portal.conf", () => {
  let dir: string;
  let confFile: string;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "gridledger-portal-nginx-"));
    // nginx workers run as an unprivileged user; mkdtemp makes the folder owner-only.
    chmodSync(dir, 0o755);
    const html = path.join(dir, "html");
    mkdirSync(path.join(html, "_app", "immutable"), { recursive: true });
    writeFileSync(path.join(html, "index.html"), "shell");
    writeFileSync(path.join(html, "about.html"), "about");
    writeFileSync(path.join(html, "_app", "immutable", "app.1234.js"), "code");
    port = await freePort();
    confFile = path.join(dir, "nginx.conf");
    const server = portalConf
      .replace("listen 8080;", `listen 127.0.0.1:${port};`)
      .replace("/usr/share/nginx/html", html);
    const pid = path.join(dir, "nginx.pid");
    writeFileSync(
      confFile,
      `pid ${pid}; error_log ${dir}/error.log; events {} http { access_log off; ${server} }`,
    );
    await promisify(execFile)(NGINX, ["-c", confFile, "-e", path.join(dir, "startup.log")]);
  });

  afterAll(async () => {
    await promisify(execFile)(NGINX, ["-c", confFile, "-e", path.join(dir, "startup.log"), "-s", "stop"]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves pages, falls back to the SPA shell for client routes, and caches hashed assets for good", async () => {
    const at = (pathname: string) => fetch(`http://127.0.0.1:${port}${pathname}`);
    expect(await (await at("/")).text()).toBe("shell");
    expect(await (await at("/about")).text()).toBe("about");
    const route = await at("/cabinet/grid/invoices");
    expect([route.status, await route.text(), route.headers.get("cache-control")]).toEqual([
      200,
      "shell",
      "no-cache",
    ]);
    const asset = await at("/_app/immutable/app.1234.js");
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await at("/_app/immutable/missing.js")).status).toBe(404);
  });
});

function listen(server: Server): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, port: (server.address() as { port: number }).port }),
    ),
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createNetServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readingsAbi, registryAbi } from "@gridledger/contracts";
import { buildReadingBatch } from "@gridledger/domain";
import { type RunningSystem, readSystemConfig, startSystem } from "@gridledger/gateway";
import { GraphqlUploader, signBatch } from "@gridledger/node-agent";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { type Abi, type Account, createPublicClient, http, parseEventLogs, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Actors, registerMetersWithDevice, sendCall } from "../../gateway/src/_test/chainFixture.js";
import { openDatabase } from "../../gateway/src/db/openDatabase.js";
import { demoUserSpecs, seedDemoUsers } from "../../gateway/src/system/seedDemoUsers.js";

/**
 * The portal end to end: a whole system (chain, contracts, gateway, portal) with real data put on
 * the chain first, then every screen of the grid, retail and consumer cabinets in Chromium.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const screens = path.join(repoRoot, "test-output/screens");
const dataDir = mkdtempSync(path.join(os.tmpdir(), "gridledger-portal-"));
let system: RunningSystem;
let browser: Browser;
const passwords: Record<string, string> = {};
/** Demo consumer logins by their chain address (lower case). */
const consumerLogins: Record<string, string> = {};
/** Account ids by account number. */
const accountIds: Record<string, string> = {};
const meterIds: bigint[] = [];
let retailB: string;
let databaseUrl: string;

const ACCOUNT_COUNT = 13;
/** PT-0013's meter has two tariff zones (day T1, night T2), for the stacked chart. */
const TWO_ZONE = 12;
/** Account numbers of this test (a prefix no demo data uses, so the counts hold with a seeded demo too). */
const number = (index: number) => `PT-${String(index + 1).padStart(4, "0")}`;
const DAYS = 3;
const DEMO_SIZE = { accounts: 16, days: 2 };

beforeAll(async () => {
  const config = readSystemConfig(
    {
      GRIDLEDGER_DATA_DIR: dataDir,
      GRIDLEDGER_CHAIN_PORT: "0",
      GRIDLEDGER_GATEWAY_PORT: "0",
      GRIDLEDGER_PORTAL_PORT: "0",
      GRIDLEDGER_BLOCK_TIME: "0.25",
      GRIDLEDGER_LOG_LEVEL: "silent",
    },
    repoRoot,
  );
  // a small demo (organisations, tariffs, consumers with invoices, payments and documents) for the
  // screens that need them, and this test's own accounts (PT-…) and readings on top
  // the demo's live agents would add readings to this suite's meters while it counts them
  system = await startSystem({ config, repoRoot, demoSize: DEMO_SIZE, demoAgents: false });
  databaseUrl = config.databaseUrl;
  const accounts = system.chain!.accounts;
  const database = await openDatabase({ url: config.databaseUrl });
  try {
    const users = await seedDemoUsers(
      database.em(),
      demoUserSpecs(accounts),
      path.join(dataDir, "demo-logins.json"),
    );
    for (const user of [...system.demoUsers, ...users]) {
      passwords[user.login] = user.password;
      if (user.consumerAddress) consumerLogins[user.consumerAddress.toLowerCase()] ??= user.login;
    }
  } finally {
    await database.close();
  }
  retailB = accounts.retailCompanyB.address.toLowerCase();

  // meters of the grid company with the device's key
  const actors = { grid: accounts.gridCompany, device: accounts.device } as unknown as Actors;
  meterIds.push(
    ...(await registerMetersWithDevice(
      system.rpcUrl,
      actors,
      system.deployment,
      Array.from({ length: TWO_ZONE }, (_, index) => `PORTAL-${String(index + 1).padStart(2, "0")}`),
    )),
  );
  const twoZone = await sendCall(
    system.rpcUrl,
    accounts.gridCompany,
    system.deployment.contracts.Registry!,
    registryAbi as Abi,
    "registerMeter",
    [
      {
        gridCompany: accounts.gridCompany.address,
        accountId: 0n,
        meterType: 1,
        tariffZones: 2,
        meteringScheme: 1,
        remoteReading: true,
        exportCapable: false,
        atBalanceBoundary: true,
        lossMethod: 0,
        lossPpm: 0,
        serial: toHex("PORTAL-13", { size: 32 }),
        model: toHex("CE308", { size: 32 }),
        lossParameters: toHex(0, { size: 32 }),
      },
    ],
  );
  const [registered] = parseEventLogs({ abi: registryAbi, logs: twoZone.logs, eventName: "MeterRegistered" });
  meterIds.push(registered!.args.meterId);
  await sendCall(
    system.rpcUrl,
    accounts.gridCompany,
    system.deployment.contracts.Readings!,
    readingsAbi as Abi,
    "registerDeviceKey",
    [[registered!.args.meterId], accounts.device.address],
  );

  // accounts: 10 at retail company A (the first two the demo consumer's), 3 at B for someone else
  const stranger = privateKeyToAccount(generatePrivateKey());
  for (let index = 0; index < ACCOUNT_COUNT; index++) {
    const retail: Account = index < 10 ? accounts.retailCompanyA : accounts.retailCompanyB;
    const receipt = await sendCall(
      system.rpcUrl,
      retail,
      system.deployment.contracts.Registry!,
      registryAbi as Abi,
      "openAccount",
      [
        {
          consumer: index < 2 ? accounts.consumer.address : stranger.address,
          meterId: meterIds[index],
          consumerType: 1,
          priceCategory: 0,
          active: true,
          retailCompany: retail.address,
          gridCompany: accounts.gridCompany.address,
          accountNumber: toHex(number(index), { size: 32 }),
          siteId: toHex(index < 10 ? "Центр" : index < TWO_ZONE ? "Север" : "Юг", { size: 32 }),
          addressRef: toHex(index < TWO_ZONE ? `Ленина ${index + 1}, кв ${index + 10}` : "Гагарина 1, кв 1", {
            size: 32,
          }),
        },
      ],
    );
    const [event] = parseEventLogs({ abi: registryAbi, logs: receipt.logs, eventName: "AccountOpened" });
    accountIds[number(index)] = String(event!.args.accountId);
  }

  // three days of half-hour readings for meters 1, 2 and 11, signed by the device, through the portal origin
  const uploader = new GraphqlUploader({ url: `${system.portalUrl}/graphql`, client: "fetch" });
  const domain = await uploader.readingsDomain();
  const client = createPublicClient({ transport: http(system.rpcUrl), cacheTime: 0 });
  const now = Number((await client.getBlock()).timestamp);
  const slots = DAYS * 48;
  const firstEnd = Math.floor(now / 1800) * 1800 - (slots - 1) * 1800;
  let lastBlock = 0n;
  for (const meterIndex of [0, 1, 10, TWO_ZONE]) {
    const exporting = meterIndex === 10;
    if (meterIndex === TWO_ZONE) {
      // day (07:00-23:00 Moscow) on T1, night on T2
      let day = 0n;
      let night = 0n;
      const batch = buildReadingBatch(
        Array.from({ length: slots }, (_, slot) => {
          const end = firstEnd + slot * 1800;
          const hour = new Date((end + 3 * 3600 - 1800) * 1000).getUTCHours();
          if (hour >= 7 && hour < 23) day += 300n;
          else night += 150n;
          return {
            meterId: meterIds[meterIndex]!,
            registerMask: 3,
            intervalEnd: end,
            status: 0,
            registers: [day, night],
          };
        }),
      );
      const result = await uploader.submit(batch, await signBatch(accounts.device as never, domain, batch));
      if (result.accepted !== slots) throw new Error(`accepted ${result.accepted} of ${slots} readings`);
      lastBlock = BigInt(result.blockNumber);
      continue;
    }
    let t1 = BigInt(meterIndex * 1_000_000);
    let exported = 0n;
    const batch = buildReadingBatch(
      Array.from({ length: slots }, (_, slot) => {
        t1 += BigInt(100 + (slot % 48) * 10);
        exported += exporting ? 40n : 0n;
        return {
          meterId: meterIds[meterIndex]!,
          registerMask: exporting ? 17 : 1,
          intervalEnd: firstEnd + slot * 1800,
          status: 0,
          registers: exporting ? [t1, exported] : [t1],
        };
      }),
    );
    const result = await uploader.submit(batch, await signBatch(accounts.device as never, domain, batch));
    if (result.accepted !== slots) throw new Error(`accepted ${result.accepted} of ${slots} readings`);
    lastBlock = BigInt(result.blockNumber);
  }
  // the index must hold the last reading before the pages can show it
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await fetch(`${system.portalUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ _meta { indexedBlock } }" }),
    });
    const meta = ((await answer.json()) as { data: { _meta: { indexedBlock: string | null } } }).data._meta;
    if (meta.indexedBlock !== null && BigInt(meta.indexedBlock) >= lastBlock) break;
    if (Date.now() > deadline) throw new Error(`the index did not reach block ${lastBlock}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  mkdirSync(screens, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const contexts: BrowserContext[] = [];
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
});

async function newPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  contexts.push(context);
  return context.newPage();
}

/** The CI machine is shared and slow: a page gets 15 s to show what it should. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

const url = (page: Page) => new URL(page.url());
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(screens, `portal-${name}.png`), fullPage: true });

async function logIn(page: Page, login: string, password = passwords[login]!) {
  await page.getByLabel(/^(Логин|Login)$/).fill(login);
  await page.getByLabel(/^(Пароль|Password)$/).fill(password);
  await page.getByTestId("login-submit").click();
}

/** Opens a list and prints how long its first page took to show (the target is 1 s; printed, not asserted). */
async function timeFirstPage(page: Page, address: string, rowTestId: string, name: string): Promise<number> {
  const started = Date.now();
  await page.goto(`${system.portalUrl}${address}`);
  await page.getByTestId(rowTestId).first().waitFor({ state: "visible", timeout: 20_000 });
  const elapsed = Date.now() - started;
  console.log(`first page of list ${name}: ${elapsed} ms after navigation`);
  return elapsed;
}

async function loggedIn(login: string, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await newPage(viewport);
  await page.goto(`${system.portalUrl}/login`);
  await logIn(page, login);
  await poll(() => url(page).pathname).not.toBe("/login");
  return page;
}

/** A GraphQL request as `login` straight to the gateway (test set-up and look-ups, not what is tested). */
async function gql<T>(login: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const call = async (body: unknown, token?: string) => {
    const response = await fetch(`${system.portalUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as {
      data?: Record<string, unknown>;
      errors?: { message: string }[];
    };
    if (answer.errors?.length) throw new Error(answer.errors.map((error) => error.message).join("; "));
    return answer.data!;
  };
  const { login: session } = (await call({
    query: "mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }",
    variables: { l: login, p: passwords[login] },
  })) as { login: { token: string } };
  return (await call({ query, variables }, session.token)) as T;
}

/** A login for a demo consumer (the demo prints four; others get one here, made the same way). */
async function consumerLogin(address: string): Promise<string> {
  const known = consumerLogins[address.toLowerCase()];
  if (known) return known;
  const login = `c-${address.slice(2, 10).toLowerCase()}`;
  const database = await openDatabase({ url: databaseUrl });
  try {
    const [user] = await seedDemoUsers(
      database.em(),
      [
        {
          login,
          role: "CONSUMER",
          displayName: "Потребитель (тест)",
          consumerAddress: address as `0x${string}`,
        },
      ],
      path.join(dataDir, "test-logins.json"),
    );
    passwords[login] = user!.password;
  } finally {
    await database.close();
  }
  consumerLogins[address.toLowerCase()] = login;
  return login;
}

/** The outcome of an action on the page: its notice, or the error it shows (so a failure says why). */
const outcome = (page: Page, testId: string) =>
  page.locator(`[data-testid="${testId}"], [data-testid="error"]`).first().textContent();

async function rowTexts(page: Page, testId = "account-row"): Promise<string[]> {
  return page.getByTestId(testId).allInnerTexts();
}

describe("the portal in Chromium against a running system", () => {
  let grid: Page;

  test("a visitor is sent to the login page and back; a wrong login or password get one message", async () => {
    grid = await newPage();
    await grid.goto(`${system.portalUrl}/grid/accounts?number=PT-&size=10`);
    await poll(() => url(grid).pathname).toBe("/login");
    expect(url(grid).searchParams.get("next")).toBe("/grid/accounts?number=PT-&size=10");
    await poll(() => grid.locator("h1").textContent()).toBe("Вход");
    await shot(grid, "login");

    await logIn(grid, "grid", "not the password");
    await poll(() => grid.getByTestId("login-error").textContent()).toBe("Неверный логин или пароль.");
    await logIn(grid, "no-such-user", passwords.grid);
    await poll(() => grid.getByTestId("login-error").textContent()).toBe("Неверный логин или пароль.");

    await logIn(grid, "grid");
    await poll(() => url(grid).pathname).toBe("/grid/accounts");
    expect(url(grid).searchParams.get("size")).toBe("10");
    await poll(() => grid.getByTestId("account-row").count()).toBe(10);
    expect(await grid.getByTestId("page-info").textContent()).toContain(`${ACCOUNT_COUNT}`);
  });

  test("grid company: accounts with filters in the URL, back button, reset, pages, sort and CSV", async () => {
    // next page, then page size
    await grid.getByTestId("page-next").click();
    await poll(() => grid.getByTestId("account-row").count()).toBe(ACCOUNT_COUNT - 10);
    expect(url(grid).searchParams.get("page")).toBe("2");
    await grid.getByTestId("page-size").selectOption("20");
    await poll(() => grid.getByTestId("account-row").count()).toBe(ACCOUNT_COUNT);
    expect(url(grid).searchParams.get("page")).toBeNull();

    // retail company filter
    await grid.getByTestId("filter-retail").selectOption(retailB);
    await grid.getByTestId("filter-apply").click();
    await poll(() => grid.getByTestId("account-row").count()).toBe(3);
    expect(url(grid).searchParams.get("retail")).toBe(retailB);
    // site and address prefixes
    await grid.getByTestId("filter-retail").selectOption("");
    await grid.getByTestId("filter-site").fill("Сев");
    await grid.getByTestId("filter-apply").click();
    await poll(() => url(grid).searchParams.get("site")).toBe("Сев");
    await poll(() => rowTexts(grid)).toEqual([
      expect.stringContaining("PT-0011"),
      expect.stringContaining("PT-0012"),
    ]);
    await grid.getByTestId("filter-site").fill("");
    await grid.getByTestId("filter-address").fill("Ленина 1");
    await grid.getByTestId("filter-apply").click();
    // "Ленина 1" is a prefix of Ленина 1, 10, 11 and 12
    await poll(() => grid.getByTestId("account-row").count()).toBe(4);

    // the back button returns to the earlier searches, and the form follows
    await grid.goBack();
    await poll(() => grid.getByTestId("account-row").count()).toBe(2);
    expect(await grid.getByTestId("filter-site").inputValue()).toBe("Сев");
    await grid.goBack();
    await poll(() => url(grid).searchParams.get("retail")).toBe(retailB);
    await poll(() => grid.getByTestId("account-row").count()).toBe(3);

    // a shared link opens the same list
    const shared = await newPage();
    await shared.goto(`${system.portalUrl}/login`);
    await logIn(shared, "grid");
    await poll(() => url(shared).pathname).toBe("/grid/accounts");
    await shared.goto(grid.url());
    await poll(() => shared.getByTestId("account-row").count()).toBe(3);
    await shared.context().close();

    await grid.getByTestId("filter-reset").click();
    await poll(() => url(grid).search).toBe("");
    await poll(() => grid.getByTestId("account-row").count()).toBeGreaterThanOrEqual(ACCOUNT_COUNT);
    await grid.getByTestId("filter-number").fill("PT-");
    await grid.getByTestId("filter-apply").click();
    await poll(() => grid.getByTestId("account-row").count()).toBe(ACCOUNT_COUNT);

    // sort: descending account numbers
    await grid.getByTestId("sort-accountNumber").click();
    await grid.getByTestId("sort-accountNumber").click();
    await poll(() => url(grid).searchParams.get("dir")).toBe("desc");
    await poll(async () => (await rowTexts(grid))[0]).toContain("PT-0013");
    expect(await grid.locator("th[aria-sort='descending']").count()).toBe(1);

    // CSV of the filtered list
    await grid.getByTestId("filter-number").fill("PT-001");
    await grid.getByTestId("filter-apply").click();
    await poll(() => grid.getByTestId("account-row").count()).toBe(4);
    const [download] = await Promise.all([
      grid.waitForEvent("download"),
      grid.getByTestId("csv-export").click(),
    ]);
    const csv = readFileSync((await download.path())!, "utf8");
    const lines = csv
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toMatch(/^Лицевой счёт;Участок;Адрес установки;/);
    expect(lines.slice(1).map((line) => line.split(";")[0])).toEqual([
      "PT-0013",
      "PT-0012",
      "PT-0011",
      "PT-0010",
    ]);
    expect(lines[2]).toContain(";Ленина 12, кв 21;");
    await shot(grid, "grid-accounts");
  });

  test("grid company: the account page with consumer, meter and readings (with transaction hashes)", async () => {
    await grid.goto(`${system.portalUrl}/grid/accounts?number=PT-`);
    await grid.getByRole("link", { name: "Открыть счёт PT-0001" }).click();
    await poll(() => grid.getByTestId("account-title").textContent()).toBe("Лицевой счёт PT-0001");
    const accounts = system.chain!.accounts;
    expect(await grid.getByTestId("panel-consumer").textContent()).toContain(
      accounts.consumer.address.toLowerCase(),
    );
    await grid.getByTestId("tab-meter").click();
    await poll(() => grid.getByTestId("meter-id").textContent()).toBe(String(meterIds[0]));
    // keyboard: arrow right moves to the readings tab
    await grid.getByTestId("tab-meter").focus();
    await grid.keyboard.press("ArrowRight");
    await poll(() => url(grid).searchParams.get("tab")).toBe("payments");
    await grid.keyboard.press("ArrowRight");
    await poll(() => url(grid).searchParams.get("tab")).toBe("readings");
    await poll(() => grid.getByTestId("reading-row").count()).toBe(20);
    const hash = await grid.getByTestId("reading-row").first().getByTestId("tx-hash").textContent();
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
    await poll(() => grid.getByTestId("consumption-chart").getAttribute("data-points")).not.toBe("0");
    await shot(grid, "grid-account");
  });

  test("grid company: the readings report with filters, list and the zone chart at three resolutions", async () => {
    await grid.goto(`${system.portalUrl}/grid/readings?number=PT-`);
    await poll(() => grid.getByTestId("reading-row").count()).toBe(20);
    expect(await grid.getByTestId("page-info").textContent()).toContain(String(4 * DAYS * 48));
    await poll(async () =>
      Number(await grid.getByTestId("consumption-chart").getAttribute("data-points")),
    ).toBeGreaterThanOrEqual(DAYS);
    await poll(() => grid.locator(".uplot canvas").count()).toBeGreaterThan(0);
    const days = Number(await grid.getByTestId("consumption-chart").getAttribute("data-points"));

    await grid.getByTestId("bucket-HALF_HOUR").click();
    await poll(() => url(grid).searchParams.get("bucket")).toBe("HALF_HOUR");
    await poll(async () =>
      Number(await grid.getByTestId("consumption-chart").getAttribute("data-points")),
    ).toBeGreaterThan(days);
    await grid.getByTestId("bucket-MONTH").click();
    await poll(async () =>
      Number(await grid.getByTestId("consumption-chart").getAttribute("data-points")),
    ).toBeLessThanOrEqual(2);
    await grid.getByTestId("bucket-DAY").click();

    // the two-zone meter: both zones in the table and stacked in the chart
    await grid.getByTestId("filter-number").fill("PT-0013");
    await grid.getByTestId("filter-apply").click();
    await poll(() => grid.getByTestId("readings-table").locator("th", { hasText: "T2" }).count()).toBe(1);
    await poll(() => grid.locator(".u-legend", { hasText: "T2" }).count()).toBe(1);
    await shot(grid, "grid-readings-zones");

    // the account with export, by number; then a serial; then an address
    await grid.getByTestId("filter-number").fill("PT-0011");
    await grid.getByTestId("filter-apply").click();
    await poll(() => url(grid).searchParams.get("number")).toBe("PT-0011");
    await poll(async () =>
      (await rowTexts(grid, "reading-row")).every((row) => row.includes(String(meterIds[10]))),
    ).toBe(true);
    expect(await grid.getByTestId("readings-table").locator("th", { hasText: "Отдача" }).count()).toBe(1);
    await grid.getByTestId("filter-number").fill("");
    await grid.getByTestId("filter-serial").fill("PORTAL-02");
    await grid.getByTestId("filter-apply").click();
    await poll(() => grid.getByTestId("page-info").textContent()).toContain(`всего ${DAYS * 48}`);
    // the form takes its values from the URL after each navigation: edit it only once it shows this one
    await poll(() => url(grid).searchParams.get("serial")).toBe("PORTAL-02");
    await poll(() => grid.getByTestId("filter-serial").inputValue()).toBe("PORTAL-02");
    await grid.getByTestId("filter-serial").fill("");
    await grid.getByTestId("filter-address").fill("Ленина 3,");
    await grid.getByTestId("filter-apply").click();
    await poll(() => url(grid).searchParams.get("address")).toBe("Ленина 3,");
    expect(url(grid).searchParams.get("serial")).toBe(null);
    await poll(() => grid.getByTestId("empty").count()).toBe(1);
    await grid.getByTestId("filter-reset").click();
    // the reset navigates; wait until it has landed, or it would clear the dates typed next
    await poll(() => url(grid).searchParams.get("address")).toBe(null);
    await poll(() => grid.getByTestId("filter-address").inputValue()).toBe("");

    // a date range in Moscow days: yesterday and today only
    const today = new Date(Date.now() + 3 * 3600_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() + 3 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
    await grid.getByTestId("filter-number").fill("PT-");
    await grid.getByTestId("filter-from").fill(yesterday);
    await grid.getByTestId("filter-to").fill(today);
    await grid.getByTestId("filter-apply").click();
    await poll(() => url(grid).searchParams.get("from")).toBe(yesterday);
    await poll(async () =>
      Number((await grid.getByTestId("page-info").textContent())?.match(/(\d+)$/)?.[1]),
    ).toBeLessThan(4 * DAYS * 48);
    await grid.getByTestId("filter-reset").click();
    await poll(() => grid.getByTestId("reading-row").count()).toBe(20);
    await shot(grid, "grid-readings");
  });

  test("retail company: only its own accounts and readings", async () => {
    const retail = await newPage();
    await retail.goto(`${system.portalUrl}/login`);
    await logIn(retail, "retail-a");
    await poll(() => url(retail).pathname).toBe("/retail/accounts");
    await poll(() => retail.getByTestId("account-row").count()).toBeGreaterThanOrEqual(10);
    expect(await retail.getByTestId("filter-retail").count()).toBe(0);
    await retail.getByTestId("filter-number").fill("PT-000");
    await retail.getByTestId("filter-apply").click();
    await poll(() => retail.getByTestId("account-row").count()).toBe(9);
    await shot(retail, "retail-accounts");
    await retail.getByRole("link", { name: "Открыть счёт PT-0002" }).click();
    await poll(() => retail.getByTestId("account-title").textContent()).toBe("Лицевой счёт PT-0002");
    // an account of retail company B is refused
    await retail.goto(`${system.portalUrl}/retail/accounts/${accountIds["PT-0011"]}`);
    await poll(() => retail.getByTestId("account-refused").count()).toBe(1);
    await retail.goto(`${system.portalUrl}/retail/readings?number=PT-`);
    await poll(() => retail.getByTestId("page-info").textContent()).toContain(`всего ${2 * DAYS * 48}`);
    await shot(retail, "retail-readings");
    // the grid cabinet is not for a retail company
    await retail.goto(`${system.portalUrl}/grid/accounts`);
    await poll(() => retail.getByTestId("page-error").textContent()).toBe("Этот раздел не для вашей роли.");
  });

  test("consumer: own accounts, details, readings with page size and chart; another account is refused", async () => {
    const consumer = await newPage();
    await consumer.goto(`${system.portalUrl}/login`);
    await logIn(consumer, "consumer");
    await poll(() => url(consumer).pathname).toBe("/consumer/accounts");
    await poll(async () =>
      (await rowTexts(consumer)).filter((row) => row.includes("PT-")).map((row) => row.split("\n")[0]),
    ).toEqual(["PT-0001", "PT-0002"]);
    await shot(consumer, "consumer-accounts");
    await consumer.getByRole("link", { name: "PT-0001" }).click();
    await poll(() => consumer.getByTestId("account-title").textContent()).toBe("Лицевой счёт PT-0001");
    await consumer.getByTestId("tab-readings").click();
    await poll(() => consumer.getByTestId("reading-row").count()).toBe(20);
    await consumer.getByTestId("page-size").selectOption("50");
    await poll(() => consumer.getByTestId("reading-row").count()).toBe(50);
    expect(url(consumer).searchParams.get("tab")).toBe("readings");
    await consumer.getByTestId("page-next").click();
    await poll(() => url(consumer).searchParams.get("page")).toBe("2");
    await poll(() => consumer.getByTestId("consumption-chart").getAttribute("data-points")).not.toBe("0");
    await shot(consumer, "consumer-readings");

    // editing the URL to someone else's account shows the refusal, not data
    await consumer.goto(`${system.portalUrl}/consumer/accounts/${accountIds["PT-0011"]}`);
    await poll(() => consumer.getByTestId("account-refused").textContent()).toContain(
      "Нет доступа к этому лицевому счёту",
    );
    expect(await consumer.getByTestId("account-title").count()).toBe(0);
    expect(await consumer.content()).not.toContain("PT-0011");
    await shot(consumer, "consumer-forbidden");

    // the same on a phone
    const phone = await newPage({ width: 390, height: 844 });
    await phone.goto(
      `${system.portalUrl}/login?next=${encodeURIComponent(`/consumer/accounts/${accountIds["PT-0001"]}?tab=readings`)}`,
    );
    await logIn(phone, "consumer");
    await poll(() => phone.getByTestId("reading-row").count()).toBe(20);
    const width = Number(await phone.evaluate("document.documentElement.scrollWidth"));
    expect(width).toBeLessThanOrEqual(390);
    await shot(phone, "consumer-phone");
  });

  test("profile, FAQ, English remembered, forged session back to login and back", async () => {
    const consumer = await newPage();
    await consumer.goto(`${system.portalUrl}/profile`);
    await logIn(consumer, "consumer");
    await poll(() => url(consumer).pathname).toBe("/profile");
    await consumer.getByLabel("Имя").fill("Иван Петров");
    await consumer.getByLabel("Телефон").fill("+7 900 123-45-67");
    await consumer.getByTestId("profile-save").click();
    await poll(() => consumer.getByTestId("profile-saved").count()).toBe(1);
    await poll(() => consumer.getByTestId("who").textContent()).toContain("Иван Петров");
    await shot(consumer, "profile");

    await consumer.getByRole("link", { name: "Вопросы и ответы" }).click();
    await poll(() => consumer.locator("h1").textContent()).toBe("Вопросы и ответы");
    await consumer.getByTestId("locale-en").click();
    await poll(() => consumer.locator("h1").textContent()).toBe("Frequently asked questions");
    await shot(consumer, "faq-en");
    await consumer.goto(`${system.portalUrl}/consumer/accounts`);
    await poll(() => consumer.locator("h1").textContent()).toBe("My accounts");
    await consumer.getByRole("link", { name: "PT-0001" }).click();
    await consumer.getByTestId("tab-readings").click();
    await poll(() => consumer.getByTestId("reading-row").count()).toBe(20);
    expect(await consumer.getByTestId("page-info").textContent()).toMatch(/^Page 1 of \d+ · \d+ in total$/);
    expect(await consumer.getByTestId("readings-table").locator("th", { hasText: "T1, kWh" }).count()).toBe(
      1,
    );
    await shot(consumer, "consumer-en");

    // a forged token: back to the login page (still in English), then back to the page wanted
    await consumer.evaluate(`(() => {
      const stored = JSON.parse(sessionStorage.getItem("gridledger.session"));
      sessionStorage.setItem("gridledger.session", JSON.stringify({ ...stored, token: stored.token + "x" }));
    })()`);
    await consumer.reload();
    await poll(() => url(consumer).pathname).toBe("/login");
    expect(url(consumer).searchParams.get("next")).toMatch(/^\/consumer\/accounts\/\d+\?tab=readings$/);
    await poll(() => consumer.getByTestId("session-ended").textContent()).toBe(
      "Your session has ended. Please log in again.",
    );
    await logIn(consumer, "consumer");
    await poll(() => url(consumer).pathname).toBe(`/consumer/accounts/${accountIds["PT-0001"]}`);
    await poll(() => consumer.getByTestId("reading-row").count()).toBe(20);

    // logout ends the session on the gateway too
    await consumer.getByTestId("logout").click();
    await poll(() => url(consumer).pathname).toBe("/login");
    await consumer.goto(`${system.portalUrl}/consumer/accounts`);
    await poll(() => url(consumer).pathname).toBe("/login");
  });

  test("grid company: meters with filters, reset, pages and CSV; the meter page with its readings", async () => {
    await timeFirstPage(grid, "/grid/meters?serial=PORTAL-&size=10", "meter-row", "meters (grid)");
    expect(await grid.getByTestId("page-info").textContent()).toContain("всего 13");
    await grid.getByTestId("page-next").click();
    await poll(() => grid.getByTestId("meter-row").count()).toBe(3);
    expect(url(grid).searchParams.get("page")).toBe("2");

    // by account number, then by model, then by installation address
    await grid.getByTestId("filter-serial").fill("");
    await grid.getByTestId("filter-number").fill("PT-0013");
    await grid.getByTestId("filter-apply").click();
    await poll(() => rowTexts(grid, "meter-row")).toEqual([expect.stringContaining("PORTAL-13")]);
    expect(url(grid).searchParams.get("page")).toBeNull();
    await grid.getByTestId("filter-number").fill("");
    await grid.getByTestId("filter-serial").fill("PORTAL-");
    await grid.getByTestId("filter-model").fill("CE308");
    await grid.getByTestId("filter-apply").click();
    await poll(() => rowTexts(grid, "meter-row")).toEqual([expect.stringContaining("PORTAL-13")]);
    await grid.getByTestId("filter-model").fill("");
    await grid.getByTestId("filter-address").fill("Ленина 1");
    await grid.getByTestId("filter-apply").click();
    await poll(() => grid.getByTestId("meter-row").count()).toBe(4);
    // the back button restores the model search
    await grid.goBack();
    await poll(() => grid.getByTestId("filter-model").inputValue()).toBe("CE308");
    await poll(() => grid.getByTestId("meter-row").count()).toBe(1);
    // reset clears the filters and keeps the page size
    await grid.getByTestId("filter-reset").click();
    await poll(() => url(grid).search).toBe("?size=10");
    await poll(() => grid.getByTestId("meter-row").count()).toBe(10);

    // sort by serial, descending, then CSV of a filtered list
    await grid.getByTestId("filter-serial").fill("PORTAL-0");
    await grid.getByTestId("filter-apply").click();
    await poll(() => grid.getByTestId("meter-row").count()).toBe(9);
    await grid.getByTestId("sort-serial").click();
    await grid.getByTestId("sort-serial").click();
    await poll(async () => (await rowTexts(grid, "meter-row"))[0]).toContain("PORTAL-09");
    const [download] = await Promise.all([
      grid.waitForEvent("download"),
      grid.getByTestId("csv-export").click(),
    ]);
    const lines = readFileSync((await download.path())!, "utf8")
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines).toHaveLength(10);
    expect(lines[1]!.split(";")[1]).toBe("PORTAL-09");
    await shot(grid, "grid-meters");

    // the meter page: data, reference data, readings with their transactions, the account link
    await grid.getByRole("link", { name: "Открыть ПУ PORTAL-01" }).click();
    await poll(() => grid.getByTestId("meter-title").textContent()).toBe("Прибор учёта PORTAL-01");
    expect(await grid.getByTestId("meter-id").textContent()).toBe(String(meterIds[0]));
    await poll(() => grid.getByTestId("reading-row").count()).toBe(20);
    expect(await grid.getByTestId("reading-row").first().getByTestId("tx-hash").textContent()).toMatch(
      /^0x[0-9a-f]{64}$/,
    );
    await shot(grid, "grid-meter");
    await grid.getByTestId("meter-account").click();
    await poll(() => grid.getByTestId("account-title").textContent()).toBe("Лицевой счёт PT-0001");
  });

  test("invalid filter values in the URL are ignored with a notice; a server error is shown and the page keeps working", async () => {
    await grid.goto(`${system.portalUrl}/grid/meters?serial=PORTAL-&page=abc&size=7&sort=nonsense`);
    await poll(() => grid.getByTestId("ignored-params").textContent()).toContain("page, size, sort");
    await poll(() => grid.getByTestId("meter-row").count()).toBe(13);
    // a form checked before sending: the end date before the start date is named, nothing is sent
    await grid.goto(`${system.portalUrl}/grid/readings?number=PT-`);
    await poll(() => grid.getByTestId("reading-row").count()).toBe(20);
    await grid.getByTestId("filter-from").fill("2026-11-20");
    await grid.getByTestId("filter-to").fill("2026-11-10");
    await grid.getByTestId("filter-apply").click();
    await poll(() => grid.getByTestId("filter-problem").textContent()).toContain("раньше");
    expect(url(grid).searchParams.get("from")).toBeNull();

    // the gateway fails once: the error is in words with a retry, the rest of the page still works
    let failures = 1;
    await grid.route("**/graphql", async (route) => {
      if (failures > 0 && route.request().postData()?.includes("query Meters")) {
        failures--;
        await route.fulfill({ status: 500, body: "Internal Server Error" });
      } else await route.continue();
    });
    await grid.goto(`${system.portalUrl}/grid/meters?serial=PORTAL-`);
    await poll(() => grid.getByTestId("error").textContent()).toContain("Нет связи со шлюзом");
    await grid.getByRole("button", { name: "Повторить" }).click();
    await poll(() => grid.getByTestId("meter-row").count()).toBe(13);
    await grid.unroute("**/graphql");
  });

  test("retail company: payments with filters, chart and CSV; payment reports by year and month; meters", async () => {
    const retail = await loggedIn("retail-a");
    await timeFirstPage(retail, "/retail/payments", "payment-row", "payments (retail)");
    const total = Number((await retail.getByTestId("page-info").textContent())?.match(/(\d+)$/)?.[1]);
    expect(total).toBeGreaterThan(0);
    await poll(async () =>
      Number(await retail.getByTestId("payments-chart").getAttribute("data-points")),
    ).toBeGreaterThan(0);
    expect(await retail.getByTestId("payment-row").first().getByTestId("tx-hash").textContent()).toMatch(
      /^0x[0-9a-f]{64}$/,
    );
    // payment source: the bank's
    const bank = system.chain!.accounts.bank.address.toLowerCase();
    await retail.getByTestId("filter-source").selectOption(bank);
    await retail.getByTestId("filter-apply").click();
    await poll(() => url(retail).searchParams.get("source")).toBe(bank);
    await poll(() => retail.getByTestId("page-info").textContent()).toContain(`всего ${total}`);
    // a date range with no payments, then back
    await retail.getByTestId("filter-from").fill("2001-01-01");
    await retail.getByTestId("filter-to").fill("2001-01-31");
    await retail.getByTestId("filter-apply").click();
    await poll(() => retail.getByTestId("empty").count()).toBe(1);
    await poll(() => retail.getByTestId("chart-empty").count()).toBe(1);
    await retail.goBack();
    await poll(() => retail.getByTestId("payment-row").count()).toBeGreaterThan(0);
    await retail.getByTestId("bucket-MONTH").click();
    await poll(() => url(retail).searchParams.get("bucket")).toBe("MONTH");
    const [download] = await Promise.all([
      retail.waitForEvent("download"),
      retail.getByTestId("csv-export").click(),
    ]);
    const lines = readFileSync((await download.path())!, "utf8")
      .trimEnd()
      .split("\r\n");
    expect(lines).toHaveLength(total + 1);
    // rows and CSV name the account by its number and address, not by its registry id
    expect(lines[0]!.split(";").slice(1, 3)).toEqual(["Лицевой счёт", "Адрес установки"]);
    const accountNumber = /^[\p{L}\d-]+$/u; // "5801010001" or "PT-0011", never "Счёт №7"
    expect(lines[1]!.split(";")[1]).toMatch(accountNumber);
    expect((await retail.getByTestId("payment-account").first().textContent())?.trim()).toMatch(
      accountNumber,
    );
    await shot(retail, "retail-payments");

    // reports: the months of this year, one month's payments with account links and hashes
    await timeFirstPage(retail, "/retail/reports", "report-month", "payment reports (retail)");
    const paidMonth = retail.locator("[data-testid^='report-month-']").first();
    await paidMonth.click();
    await poll(() => url(retail).searchParams.get("month")).toMatch(/^\d+$/);
    await poll(() => retail.getByTestId("report-account").count()).toBeGreaterThan(0);
    expect((await retail.getByTestId("report-account-number").first().textContent())?.trim()).not.toMatch(
      /^Счёт №/,
    );
    expect(await retail.getByTestId("report-account").first().getByTestId("tx-hash").count()).toBeGreaterThan(
      0,
    );
    await shot(retail, "retail-reports");
    await retail.getByTestId("report-account").first().getByRole("link").first().click();
    await poll(() => retail.getByTestId("account-title").count()).toBe(1);
    await retail.getByTestId("tab-payments").click();
    await poll(() => retail.getByTestId("payment-row").count()).toBeGreaterThan(0);
    await shot(retail, "retail-account-payments");

    await timeFirstPage(retail, "/retail/meters", "meter-row", "meters (retail)");
    await shot(retail, "retail-meters");
  });

  test("grid company and operator: payment reports by retail company", async () => {
    await timeFirstPage(grid, "/grid/reports", "report-month", "payment reports (grid)");
    await timeFirstPage(grid, "/grid/accounts", "account-row", "accounts (grid)");
    await grid.goto(`${system.portalUrl}/grid/reports`);
    const retailA = system.chain!.accounts.retailCompanyA.address.toLowerCase();
    await grid.getByTestId("filter-retail").selectOption(retailA);
    await grid.getByTestId("filter-apply").click();
    await poll(() => url(grid).searchParams.get("retail")).toBe(retailA);
    await grid.locator("[data-testid^='report-month-']").first().click();
    await poll(() => grid.getByTestId("report-account").count()).toBeGreaterThan(0);
    await shot(grid, "grid-reports");

    const operator = await loggedIn("operator");
    await poll(() => url(operator).pathname).toBe("/grid/accounts");
    await timeFirstPage(operator, "/grid/payments", "payment-row", "payments (operator)");
    await shot(operator, "operator-payments");
  });

  test("retail company: tariff groups created, renamed and deleted on the ledger; the transaction page verifies them", async () => {
    const retail = await loggedIn("retail-a");
    await timeFirstPage(retail, "/retail/tariffs", "tariff-group", "tariff groups (retail)");
    const before = await retail.getByTestId("tariff-group").count();
    expect(await retail.getByTestId("tariff-plan").count()).toBeGreaterThan(0);
    // checked before sending: too long a name
    await retail.getByTestId("tariff-name").fill("Очень длинное название тарифной группы");
    await retail.getByTestId("tariff-create-submit").click();
    await poll(() => retail.getByTestId("tariff-problem").textContent()).toContain("32");
    await retail.getByTestId("tariff-name").fill("Портал-тест");
    await retail.getByTestId("tariff-create-submit").click();
    await poll(() => outcome(retail, "tariff-done")).toContain("Портал-тест");
    await poll(() => retail.getByTestId("tariff-group").count()).toBe(before + 1);
    const group = retail.getByTestId("tariff-group").filter({ hasText: "Портал-тест" });
    await group.getByTestId("tariff-rename").click();
    // one group is in edit mode: its name is in the input now
    await retail.getByTestId("tariff-rename-input").fill("Портал-тест 2");
    await retail.getByTestId("tariff-rename-save").click();
    await poll(() => outcome(retail, "tariff-done")).toContain("Портал-тест 2");
    await poll(() => retail.getByTestId("tariff-group-name").allTextContents()).toContain("Портал-тест 2");

    // a two-zone plan added to the group: the form refuses zone hours that leave a gap, then the plan
    // is listed with its transaction; it is closed with an end date and, not yet in effect, deleted
    const mine = retail.getByTestId("tariff-group").filter({ hasText: "Портал-тест 2" });
    const day = (offset: number) =>
      new Date(Date.now() + 3 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
    await mine.getByTestId("plan-add").click();
    const form = mine.getByTestId("plan-form");
    await form.getByTestId("plan-kind").selectOption("TWO_ZONE");
    await form.getByTestId("plan-from").fill(day(5));
    await poll(() => form.getByTestId("plan-rate-row").count()).toBe(2);
    const rows = form.getByTestId("plan-rate-row");
    for (const [index, energy] of [
      [0, "4,5"],
      [1, "2,25"],
    ] as const) {
      await rows.nth(index).getByTestId("plan-rate-energy").fill(energy);
      await rows.nth(index).getByTestId("plan-rate-transmission").fill("1,2");
      await rows.nth(index).getByTestId("plan-rate-retailMarkup").fill("0,3");
      await rows.nth(index).getByTestId("plan-rate-infrastructure").fill("0");
    }
    await form.getByTestId("plan-interval").nth(1).getByRole("textbox").nth(1).fill("6");
    await form.getByTestId("plan-submit").click();
    await poll(() => form.getByTestId("plan-problem").textContent()).toContain("6");
    await form.getByTestId("plan-interval").nth(1).getByRole("textbox").nth(1).fill("7");
    await form.getByTestId("plan-submit").click();
    await poll(() => outcome(retail, "tariff-done")).toContain("План добавлен");
    const planTx = await retail.getByTestId("tariff-done").getByTestId("tx-hash").getAttribute("href");
    expect(planTx).toMatch(/\/tx\/0x[0-9a-f]{64}$/);
    await poll(() => mine.getByTestId("tariff-plan").count()).toBe(1);
    const plan = mine.getByTestId("tariff-plan");
    expect(await plan.textContent()).toContain("Двухзонный");
    expect(await plan.getByTestId("tx-hash").getAttribute("href")).toBe(planTx);
    expect(await plan.locator("tbody tr").first().textContent()).toContain("6,00");
    await mine.getByTestId("plan-close").click();
    await mine.getByTestId("plan-close-date").fill(day(20));
    await mine.getByTestId("plan-close-save").click();
    await poll(() => outcome(retail, "tariff-done")).toContain("План закрыт");
    await poll(() => mine.getByTestId("tariff-plan").textContent()).not.toContain("…");
    await shot(retail, "retail-tariffs");
    retail.once("dialog", (dialog) => void dialog.accept());
    await mine.getByTestId("plan-delete").click();
    await poll(() => outcome(retail, "tariff-done")).toContain("План удалён");
    await poll(() => mine.getByTestId("tariff-plan").count()).toBe(0);
    retail.once("dialog", (dialog) => void dialog.accept());
    await retail
      .getByTestId("tariff-group")
      .filter({ hasText: "Портал-тест 2" })
      .getByTestId("tariff-delete")
      .click();
    await poll(() => outcome(retail, "tariff-done")).toContain("удалена");
    await poll(() => retail.getByTestId("tariff-group").count()).toBe(before);

    // the deletion's transaction: block, sender, decoded call and the verification badge
    await retail.getByTestId("tariff-done").getByTestId("tx-hash").click();
    await poll(() => retail.getByTestId("tx-verified").count()).toBe(1);
    expect(await retail.getByTestId("tx-call").textContent()).toMatch(/^Tariffs\.\w+/);
    expect((await retail.getByTestId("tx-from").textContent())?.toLowerCase()).toBe(
      system.chain!.accounts.retailCompanyA.address.toLowerCase(),
    );
    await shot(retail, "transaction");

    // retail company B's ПЦК 3/4 plans: prices are hourly; the period the demo published opens hour by hour
    const hourly = await loggedIn("retail-b");
    await hourly.goto(`${system.portalUrl}/retail/tariffs`);
    await poll(() => hourly.getByTestId("tariff-hourly").count()).toBe(2);
    await hourly.getByTestId("hourly-price-lists").first().locator("summary").click();
    const published = hourly.getByTestId("hourly-price-list").first();
    await poll(() => published.textContent()).toMatch(/Период #\d+, до .*ч, от .* до .* ₽\/кВт·ч/);
    await published.getByRole("button", { name: "По часам" }).click();
    await poll(() =>
      published.getByTestId("hourly-prices").locator("tbody tr").count(),
    ).toBeGreaterThanOrEqual(24);
  }, 180_000);

  test("grid company: retail companies and their cards, counterparties with bank details, the company profile", async () => {
    await timeFirstPage(grid, "/grid/companies", "company-row", "retail companies (grid)");
    expect(await grid.getByTestId("company-row").count()).toBeGreaterThanOrEqual(2);
    await shot(grid, "grid-companies");
    await grid.getByTestId("company-row").first().getByRole("link").first().click();
    await poll(() => grid.getByTestId("company-title").count()).toBe(1);
    await poll(() => grid.getByTestId("company-consumer").count()).toBeGreaterThan(0);
    await shot(grid, "grid-company-card");

    await timeFirstPage(grid, "/grid/counterparties", "counterparty-row", "counterparties (grid)").catch(
      () => 0,
    );
    await grid.getByTestId("counterparty-add-open").click();
    const fill = async (values: Record<string, string>) => {
      for (const [key, value] of Object.entries(values)) await grid.getByTestId(`cp-${key}`).fill(value);
    };
    await fill({
      name: "ООО «Портал-Тест»",
      inn: "7707083894",
      kpp: "773601001",
      address: "Москва, ул. Вавилова, 19",
      bankName: "ПАО Сбербанк",
      bik: "044525225",
      settlementAccount: "40702810200000000001",
      correspondentAccount: "30101810400000000225",
    });
    await grid.getByTestId("counterparty-save").click();
    // the wrong INN check digit is named before anything is sent
    await poll(() => grid.getByTestId("counterparty-form").textContent()).toContain("контрольными цифрами");
    await fill({ inn: "7707083893" });
    await grid.getByTestId("counterparty-save").click();
    await poll(() => grid.getByTestId("counterparty-added").textContent()).toContain("Портал-Тест");
    await grid.getByTestId("filter-name").fill("ООО «Портал");
    await grid.getByTestId("filter-apply").click();
    await poll(() => rowTexts(grid, "counterparty-row")).toEqual([
      expect.stringContaining("40702810200000000001"),
    ]);
    await shot(grid, "grid-counterparties");
    await timeFirstPage(grid, "/grid/counterparties", "counterparty-row", "counterparties (grid)");

    await grid.goto(`${system.portalUrl}/grid/company`);
    await poll(() => grid.getByTestId("company-form").count()).toBe(1);
    for (const [key, value] of Object.entries({
      name: "АО «Сетевая компания»",
      directorName: "Иванов Иван Иванович",
      phone: "+7 495 000-00-00",
      legalAddress: "Москва, ул. Садовая, 1",
      bankName: "ПАО Сбербанк",
      bik: "044525225",
      settlementAccount: "40702810200000000001",
      correspondentAccount: "30101810400000000225",
    }))
      await grid.getByTestId(`co-${key}`).fill(value);
    await grid.getByTestId("company-save").click();
    await poll(() => grid.getByTestId("company-saved").getByTestId("tx-hash").count()).toBe(1);
    await shot(grid, "grid-company-profile");
  }, 180_000);

  test("bank and consumer: a prepayment recorded, the invoice confirmed and paid, the tariff changed, a document downloaded", async () => {
    // an issued invoice to confirm and one with a debt to pay (the same when the demo has one), and whose
    type Row = { id: string; accountId: string; status: string; debt: string; account: { consumer: string } };
    const { invoices } = await gql<{ invoices: { nodes: Row[] } }>(
      "grid",
      "{ invoices(page: 1, size: 200) { nodes { id accountId status debt account { consumer } } } }",
    );
    const owed = (row: Row) => BigInt(row.debt) > 0n;
    const issued =
      invoices.nodes.find((row) => row.status === "ISSUED" && owed(row)) ??
      invoices.nodes.find((row) => row.status === "ISSUED");
    expect(issued, "the demo has an issued invoice").toBeDefined();
    const target = owed(issued!)
      ? issued!
      : invoices.nodes.find((row) => row.status === "CONFIRMED" && owed(row));
    expect(target, "the demo has an invoice with a debt").toBeDefined();
    const login = await consumerLogin(target!.account.consumer);
    const rubles = `${BigInt(target!.debt) / 100n},${String(BigInt(target!.debt) % 100n).padStart(2, "0")}`;

    // the bank records money in advance for the account
    const bank = await loggedIn("bank");
    await poll(() => url(bank).pathname).toBe("/bank/payments");
    await timeFirstPage(bank, "/bank/payments", "payment-row", "payments (bank)");
    await bank.getByTestId("record-kind-prepayment").check();
    await bank.getByTestId("record-target").fill(target!.accountId);
    await bank.getByTestId("record-amount").fill("0");
    await bank.getByTestId("record-submit").click();
    await poll(() => bank.getByTestId("record-form").textContent()).toContain("больше нуля");
    await bank.getByTestId("record-amount").fill(rubles);
    await bank.getByTestId("record-submit").click();
    await poll(() => bank.getByTestId("record-done").getByTestId("tx-hash").count()).toBe(1);
    await shot(bank, "bank-payments");

    // the consumer confirms the issued invoice
    const confirming = await loggedIn(await consumerLogin(issued!.account.consumer));
    await timeFirstPage(confirming, "/consumer/invoices", "invoice-row", "invoices (consumer)");
    await shot(confirming, "consumer-invoices");
    await confirming.goto(`${system.portalUrl}/consumer/invoices/${issued!.id}`);
    await poll(() => confirming.getByTestId("invoice-status").first().textContent()).toBe("выставлен");
    expect(await confirming.getByTestId("invoice-line").count()).toBeGreaterThan(0);
    await confirming.getByTestId("invoice-confirm").click();
    await poll(() => outcome(confirming, "invoice-done")).toContain("подтверждён");
    await poll(() => confirming.getByTestId("invoice-status").first().textContent()).toBe("подтверждён");
    await shot(confirming, "consumer-invoice-confirmed");

    // the consumer whose invoice has a debt pays it from the advance
    const consumer = target!.id === issued!.id ? confirming : await loggedIn(login);
    await consumer.goto(`${system.portalUrl}/consumer/invoices/${target!.id}`);
    await poll(() => consumer.getByTestId("invoice-pay-amount").inputValue()).toBe(rubles);
    const debtBefore = await consumer.getByTestId("invoice-debt").textContent();
    const paymentsBefore = await consumer.getByTestId("invoice-payment").count();
    await consumer.getByTestId("invoice-pay").click();
    await poll(() => outcome(consumer, "invoice-done")).toContain("Оплачено");
    await poll(() => consumer.getByTestId("invoice-payment").count()).toBe(paymentsBefore + 1);
    const debtAfter = await consumer.getByTestId("invoice-debt").textContent();
    console.log(`invoice ${target!.id}: debt ${debtBefore} before paying ${rubles}, ${debtAfter} after`);
    expect(debtAfter).not.toBe(debtBefore);
    await shot(consumer, "consumer-invoice-paid");
    // its payment on the payments list, with the hash
    await timeFirstPage(consumer, "/consumer/payments", "payment-row", "payments (consumer)");

    // the tariff from the next period
    await consumer.goto(`${system.portalUrl}/consumer/tariff`);
    await poll(() => consumer.getByTestId("tariff-option").count()).toBeGreaterThan(0);
    // what the open period has cost so far, from the half-hour readings
    await poll(() => consumer.getByTestId("cost-total").textContent()).toMatch(/₽$/);
    await consumer.getByTestId("tariff-choose").click();
    await poll(() => consumer.getByRole("alert").first().textContent()).toContain("Выберите тариф");
    await consumer.getByTestId("tariff-option").last().check();
    await consumer.getByTestId("tariff-choose").click();
    await poll(() => consumer.getByTestId("tariff-chosen").getByTestId("tx-hash").count()).toBe(1);
    await poll(() => consumer.getByTestId("tariff-pending").count()).toBe(1);
    await shot(consumer, "consumer-tariff");

    // a document downloaded as a file, with the hash the ledger holds
    await timeFirstPage(consumer, "/consumer/documents", "document-row", "documents (consumer)");
    const hash = await consumer.getByTestId("document-hash").first().textContent();
    // the record with the anchored hash
    const [record] = await Promise.all([
      consumer.waitForEvent("download"),
      consumer.getByTestId("document-download").first().click(),
    ]);
    expect(JSON.parse(readFileSync((await record.path())!, "utf8")).documentHash).toBe(hash);
    // the invoice's PDF from the gateway through the portal's origin: a real PDF whose SHA-256 is the
    // hash anchored on the ledger and shown on the page
    const [pdf] = await Promise.all([
      consumer.waitForEvent("download"),
      consumer.getByTestId("document-pdf").first().click(),
    ]);
    expect(pdf.suggestedFilename()).toMatch(/^invoice-\d+\.pdf$/);
    const bytes = readFileSync((await pdf.path())!);
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("%PDF");
    const pdfHash = await consumer
      .getByTestId("document-pdf")
      .first()
      .locator("xpath=..")
      .getByTestId("document-hash")
      .textContent();
    expect(`0x${createHash("sha256").update(bytes).digest("hex")}`).toBe(pdfHash);
    expect(await consumer.getByTestId("document-error").count()).toBe(0);
    console.log(`document download: ${pdf.suggestedFilename()} (${bytes.length} bytes)`);
    await shot(consumer, "consumer-documents");

    // another consumer's invoice is refused
    const other = invoices.nodes.find((invoice) => invoice.account.consumer !== target!.account.consumer);
    if (other) {
      await consumer.goto(`${system.portalUrl}/consumer/invoices/${other.id}`);
      await poll(() => consumer.getByTestId("invoice-refused").count()).toBe(1);
    }

    // the cabinet on a phone
    const phone = await loggedIn(login, { width: 390, height: 844 });
    for (const screen of ["invoices", "tariff", "documents", "payments"]) {
      await phone.goto(`${system.portalUrl}/consumer/${screen}`);
      await poll(() => phone.getByTestId("loading").count()).toBe(0);
      await phone.waitForTimeout(300);
      expect(
        Number(await phone.evaluate("document.documentElement.scrollWidth")),
        screen,
      ).toBeLessThanOrEqual(390);
      await shot(phone, `consumer-phone-${screen}`);
    }
  }, 180_000);

  test("consumer: a reading typed in appears with its transaction hash, which verifies on the ledger", async () => {
    const { meters } = await gql<{
      meters: { nodes: { id: string; accountId: string | null; remoteReading: boolean }[] };
    }>("grid", "{ meters(page: 1, size: 200) { nodes { id accountId remoteReading } } }");
    let found: { login: string; accountId: string } | undefined;
    for (const meter of meters.nodes.filter((candidate) => !candidate.remoteReading && candidate.accountId)) {
      const { account } = await gql<{ account: { consumer: string } }>(
        "grid",
        "query($id: String!) { account(id: $id) { consumer } }",
        { id: meter.accountId },
      );
      found = { login: await consumerLogin(account.consumer), accountId: meter.accountId! };
      break;
    }
    expect(found, "the demo has a consumer whose meter is read by hand").toBeDefined();
    const consumer = await loggedIn(found!.login);
    await consumer.goto(`${system.portalUrl}/consumer/accounts/${found!.accountId}?tab=readings`);
    await poll(() => consumer.getByTestId("reading-submit-form").count()).toBe(1);
    const zones = await consumer.locator("[data-testid^='submit-t']").count();
    // each register a little above the last reading
    const lastText = (await consumer.getByTestId("reading-submit-form").textContent()) ?? "";
    const last = [...lastText.matchAll(/T\d ([\d\s\u00a0]+,\d{3})/g)].map((match) =>
      Number(match[1]!.replace(/[\s\u00a0]/g, "").replace(",", ".")),
    );
    await consumer.getByTestId("submit-t1").fill("abc");
    await consumer.getByTestId("submit-reading").click();
    await poll(() => consumer.getByTestId("reading-submit-form").textContent()).toContain("Число кВт·ч");
    for (let zone = 0; zone < zones; zone++)
      await consumer
        .getByTestId(`submit-t${zone + 1}`)
        .fill(((last[zone] ?? 0) + 1.5).toFixed(3).replace(".", ","));
    await consumer.getByTestId("submit-reading").click();
    // the whole form's text, so a refusal says why
    await poll(() => consumer.getByTestId("reading-submit-form").textContent()).toContain(
      "Показания записаны",
    );
    const hash = await consumer.getByTestId("submit-done").getByTestId("tx-hash").textContent();
    await poll(
      async () =>
        (await consumer.getByTestId("reading-row").first().getByTestId("tx-hash").textContent()) ?? "",
    ).toBe(hash);
    expect(await consumer.getByTestId("reading-row").first().textContent()).toContain("потребитель");
    await shot(consumer, "consumer-reading-submitted");
    await consumer.getByTestId("reading-row").first().getByTestId("tx-hash").click();
    await poll(() => consumer.getByTestId("tx-verified").count()).toBe(1);
    expect(await consumer.getByTestId("tx-event").count()).toBeGreaterThan(0);
    await shot(consumer, "consumer-reading-transaction");
  }, 180_000);

  test("a banner says when the system is not in normal mode", async () => {
    const visitor = await newPage();
    // the gateway reports service mode on /health and in _meta
    await visitor.route("**/health", async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), mode: "service" } });
    });
    await visitor.route("**/graphql", async (route) => {
      if (!route.request().postData()?.includes("_meta")) return route.continue();
      await route.fulfill({ json: { data: { _meta: { mode: "service" } } } });
    });
    await visitor.goto(system.portalUrl);
    await poll(() => visitor.getByTestId("mode-banner").textContent()).toContain("Сервисный режим");
    await poll(() => visitor.getByTestId("chain-id").textContent()).toBe(String(system.deployment.chainId));
    await shot(visitor, "banner-service");
  });
});

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
/** Account ids by account number. */
const accountIds: Record<string, string> = {};
const meterIds: bigint[] = [];
let retailB: string;

const ACCOUNT_COUNT = 13;
/** PT-0013's meter has two tariff zones (day T1, night T2), for the stacked chart. */
const TWO_ZONE = 12;
/** Account numbers of this test (a prefix no demo data uses, so the counts hold with a seeded demo too). */
const number = (index: number) => `PT-${String(index + 1).padStart(4, "0")}`;
const DAYS = 3;

beforeAll(async () => {
  const config = readSystemConfig(
    {
      GRIDLEDGER_DATA_DIR: dataDir,
      GRIDLEDGER_CHAIN_PORT: "0",
      GRIDLEDGER_GATEWAY_PORT: "0",
      GRIDLEDGER_PORTAL_PORT: "0",
      GRIDLEDGER_BLOCK_TIME: "0.25",
      GRIDLEDGER_LOG_LEVEL: "silent",
      GRIDLEDGER_DEMO_DATA: "off",
    },
    repoRoot,
  );
  // without the demo-data seed (this test puts its own data on the chain), but with the demo logins
  // npm start creates, made by the same function
  system = await startSystem({ config, repoRoot });
  const accounts = system.chain!.accounts;
  const database = await openDatabase({ url: config.databaseUrl });
  try {
    const users = await seedDemoUsers(
      database.em(),
      demoUserSpecs(accounts),
      path.join(dataDir, "demo-logins.json"),
    );
    for (const user of [...system.demoUsers, ...users]) passwords[user.login] = user.password;
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

const url = (page: Page) => new URL(page.url());
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(screens, `portal-${name}.png`), fullPage: true });

async function logIn(page: Page, login: string, password = passwords[login]!) {
  await page.getByLabel(/^(Логин|Login)$/).fill(login);
  await page.getByLabel(/^(Пароль|Password)$/).fill(password);
  await page.getByTestId("login-submit").click();
}

async function rowTexts(page: Page, testId = "account-row"): Promise<string[]> {
  return page.getByTestId(testId).allInnerTexts();
}

describe("the portal in Chromium against a running system", () => {
  let grid: Page;

  test("a visitor is sent to the login page and back; a wrong login or password get one message", async () => {
    grid = await newPage();
    await grid.goto(`${system.portalUrl}/grid/accounts?number=PT-&size=10`);
    await expect.poll(() => url(grid).pathname).toBe("/login");
    expect(url(grid).searchParams.get("next")).toBe("/grid/accounts?number=PT-&size=10");
    await expect.poll(() => grid.locator("h1").textContent()).toBe("Вход");
    await shot(grid, "login");

    await logIn(grid, "grid", "not the password");
    await expect.poll(() => grid.getByTestId("login-error").textContent()).toBe("Неверный логин или пароль.");
    await logIn(grid, "no-such-user", passwords.grid);
    await expect.poll(() => grid.getByTestId("login-error").textContent()).toBe("Неверный логин или пароль.");

    await logIn(grid, "grid");
    await expect.poll(() => url(grid).pathname).toBe("/grid/accounts");
    expect(url(grid).searchParams.get("size")).toBe("10");
    await expect.poll(() => grid.getByTestId("account-row").count()).toBe(10);
    expect(await grid.getByTestId("page-info").textContent()).toContain(`${ACCOUNT_COUNT}`);
  });

  test("grid company: accounts with filters in the URL, back button, reset, pages, sort and CSV", async () => {
    // next page, then page size
    await grid.getByTestId("page-next").click();
    await expect.poll(() => grid.getByTestId("account-row").count()).toBe(ACCOUNT_COUNT - 10);
    expect(url(grid).searchParams.get("page")).toBe("2");
    await grid.getByTestId("page-size").selectOption("20");
    await expect.poll(() => grid.getByTestId("account-row").count()).toBe(ACCOUNT_COUNT);
    expect(url(grid).searchParams.get("page")).toBeNull();

    // retail company filter
    await grid.getByTestId("filter-retail").selectOption(retailB);
    await grid.getByTestId("filter-apply").click();
    await expect.poll(() => grid.getByTestId("account-row").count()).toBe(3);
    expect(url(grid).searchParams.get("retail")).toBe(retailB);
    // site and address prefixes
    await grid.getByTestId("filter-retail").selectOption("");
    await grid.getByTestId("filter-site").fill("Сев");
    await grid.getByTestId("filter-apply").click();
    await expect.poll(() => url(grid).searchParams.get("site")).toBe("Сев");
    await expect
      .poll(() => rowTexts(grid))
      .toEqual([expect.stringContaining("PT-0011"), expect.stringContaining("PT-0012")]);
    await grid.getByTestId("filter-site").fill("");
    await grid.getByTestId("filter-address").fill("Ленина 1");
    await grid.getByTestId("filter-apply").click();
    // "Ленина 1" is a prefix of Ленина 1, 10, 11 and 12
    await expect.poll(() => grid.getByTestId("account-row").count()).toBe(4);

    // the back button returns to the earlier searches, and the form follows
    await grid.goBack();
    await expect.poll(() => grid.getByTestId("account-row").count()).toBe(2);
    expect(await grid.getByTestId("filter-site").inputValue()).toBe("Сев");
    await grid.goBack();
    await expect.poll(() => url(grid).searchParams.get("retail")).toBe(retailB);
    await expect.poll(() => grid.getByTestId("account-row").count()).toBe(3);

    // a shared link opens the same list
    const shared = await newPage();
    await shared.goto(`${system.portalUrl}/login`);
    await logIn(shared, "grid");
    await expect.poll(() => url(shared).pathname).toBe("/grid/accounts");
    await shared.goto(grid.url());
    await expect.poll(() => shared.getByTestId("account-row").count()).toBe(3);
    await shared.context().close();

    await grid.getByTestId("filter-reset").click();
    await expect.poll(() => url(grid).search).toBe("");
    await expect.poll(() => grid.getByTestId("account-row").count()).toBeGreaterThanOrEqual(ACCOUNT_COUNT);
    await grid.getByTestId("filter-number").fill("PT-");
    await grid.getByTestId("filter-apply").click();
    await expect.poll(() => grid.getByTestId("account-row").count()).toBe(ACCOUNT_COUNT);

    // sort: descending account numbers
    await grid.getByTestId("sort-accountNumber").click();
    await grid.getByTestId("sort-accountNumber").click();
    await expect.poll(() => url(grid).searchParams.get("dir")).toBe("desc");
    await expect.poll(async () => (await rowTexts(grid))[0]).toContain("PT-0013");
    expect(await grid.locator("th[aria-sort='descending']").count()).toBe(1);

    // CSV of the filtered list
    await grid.getByTestId("filter-number").fill("PT-001");
    await grid.getByTestId("filter-apply").click();
    await expect.poll(() => grid.getByTestId("account-row").count()).toBe(4);
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
    await expect.poll(() => grid.getByTestId("account-title").textContent()).toBe("Лицевой счёт PT-0001");
    const accounts = system.chain!.accounts;
    expect(await grid.getByTestId("panel-consumer").textContent()).toContain(
      accounts.consumer.address.toLowerCase(),
    );
    await grid.getByTestId("tab-meter").click();
    await expect.poll(() => grid.getByTestId("meter-id").textContent()).toBe(String(meterIds[0]));
    // keyboard: arrow right moves to the readings tab
    await grid.getByTestId("tab-meter").focus();
    await grid.keyboard.press("ArrowRight");
    await expect.poll(() => url(grid).searchParams.get("tab")).toBe("readings");
    await expect.poll(() => grid.getByTestId("reading-row").count()).toBe(20);
    const hash = await grid.getByTestId("reading-row").first().getByTestId("tx-hash").textContent();
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
    await expect.poll(() => grid.getByTestId("consumption-chart").getAttribute("data-points")).not.toBe("0");
    await shot(grid, "grid-account");
  });

  test("grid company: the readings report with filters, list and the zone chart at three resolutions", async () => {
    await grid.goto(`${system.portalUrl}/grid/readings?number=PT-`);
    await expect.poll(() => grid.getByTestId("reading-row").count()).toBe(20);
    expect(await grid.getByTestId("page-info").textContent()).toContain(String(4 * DAYS * 48));
    await expect
      .poll(async () => Number(await grid.getByTestId("consumption-chart").getAttribute("data-points")))
      .toBeGreaterThanOrEqual(DAYS);
    await expect.poll(() => grid.locator(".uplot canvas").count()).toBeGreaterThan(0);
    const days = Number(await grid.getByTestId("consumption-chart").getAttribute("data-points"));

    await grid.getByTestId("bucket-HALF_HOUR").click();
    await expect.poll(() => url(grid).searchParams.get("bucket")).toBe("HALF_HOUR");
    await expect
      .poll(async () => Number(await grid.getByTestId("consumption-chart").getAttribute("data-points")))
      .toBeGreaterThan(days);
    await grid.getByTestId("bucket-MONTH").click();
    await expect
      .poll(async () => Number(await grid.getByTestId("consumption-chart").getAttribute("data-points")))
      .toBeLessThanOrEqual(2);
    await grid.getByTestId("bucket-DAY").click();

    // the two-zone meter: both zones in the table and stacked in the chart
    await grid.getByTestId("filter-number").fill("PT-0013");
    await grid.getByTestId("filter-apply").click();
    await expect
      .poll(() => grid.getByTestId("readings-table").locator("th", { hasText: "T2" }).count())
      .toBe(1);
    await expect.poll(() => grid.locator(".u-legend", { hasText: "T2" }).count()).toBe(1);
    await shot(grid, "grid-readings-zones");

    // the account with export, by number; then a serial; then an address
    await grid.getByTestId("filter-number").fill("PT-0011");
    await grid.getByTestId("filter-apply").click();
    await expect.poll(() => url(grid).searchParams.get("number")).toBe("PT-0011");
    await expect
      .poll(async () =>
        (await rowTexts(grid, "reading-row")).every((row) => row.includes(String(meterIds[10]))),
      )
      .toBe(true);
    expect(await grid.getByTestId("readings-table").locator("th", { hasText: "Отдача" }).count()).toBe(1);
    await grid.getByTestId("filter-number").fill("");
    await grid.getByTestId("filter-serial").fill("PORTAL-02");
    await grid.getByTestId("filter-apply").click();
    await expect.poll(() => grid.getByTestId("page-info").textContent()).toContain(`всего ${DAYS * 48}`);
    await grid.getByTestId("filter-serial").fill("");
    await grid.getByTestId("filter-address").fill("Ленина 3,");
    await grid.getByTestId("filter-apply").click();
    await expect.poll(() => grid.getByTestId("empty").count()).toBe(1);
    await grid.getByTestId("filter-reset").click();
    // the reset navigates; wait until it has landed, or it would clear the dates typed next
    await expect.poll(() => url(grid).searchParams.get("address")).toBe(null);
    await expect.poll(() => grid.getByTestId("filter-address").inputValue()).toBe("");

    // a date range in Moscow days: yesterday and today only
    const today = new Date(Date.now() + 3 * 3600_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() + 3 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
    await grid.getByTestId("filter-from").fill(yesterday);
    await grid.getByTestId("filter-to").fill(today);
    await grid.getByTestId("filter-apply").click();
    await expect.poll(() => url(grid).searchParams.get("from")).toBe(yesterday);
    await expect
      .poll(async () => Number((await grid.getByTestId("page-info").textContent())?.match(/(\d+)$/)?.[1]))
      .toBeLessThan(4 * DAYS * 48);
    await grid.getByTestId("filter-reset").click();
    await expect.poll(() => grid.getByTestId("reading-row").count()).toBe(20);
    await shot(grid, "grid-readings");
  });

  test("retail company: only its own accounts and readings", async () => {
    const retail = await newPage();
    await retail.goto(`${system.portalUrl}/login`);
    await logIn(retail, "retail-a");
    await expect.poll(() => url(retail).pathname).toBe("/retail/accounts");
    await expect.poll(() => retail.getByTestId("account-row").count()).toBeGreaterThanOrEqual(10);
    expect(await retail.getByTestId("filter-retail").count()).toBe(0);
    await retail.getByTestId("filter-number").fill("PT-000");
    await retail.getByTestId("filter-apply").click();
    await expect.poll(() => retail.getByTestId("account-row").count()).toBe(9);
    await shot(retail, "retail-accounts");
    await retail.getByRole("link", { name: "Открыть счёт PT-0002" }).click();
    await expect.poll(() => retail.getByTestId("account-title").textContent()).toBe("Лицевой счёт PT-0002");
    // an account of retail company B is refused
    await retail.goto(`${system.portalUrl}/retail/accounts/${accountIds["PT-0011"]}`);
    await expect.poll(() => retail.getByTestId("account-refused").count()).toBe(1);
    await retail.goto(`${system.portalUrl}/retail/readings?number=PT-`);
    await expect
      .poll(() => retail.getByTestId("page-info").textContent())
      .toContain(`всего ${2 * DAYS * 48}`);
    await shot(retail, "retail-readings");
    // the grid cabinet is not for a retail company
    await retail.goto(`${system.portalUrl}/grid/accounts`);
    await expect
      .poll(() => retail.getByTestId("page-error").textContent())
      .toBe("Этот раздел не для вашей роли.");
  });

  test("consumer: own accounts, details, readings with page size and chart; another account is refused", async () => {
    const consumer = await newPage();
    await consumer.goto(`${system.portalUrl}/login`);
    await logIn(consumer, "consumer");
    await expect.poll(() => url(consumer).pathname).toBe("/consumer/accounts");
    await expect
      .poll(async () =>
        (await rowTexts(consumer)).filter((row) => row.includes("PT-")).map((row) => row.split("\n")[0]),
      )
      .toEqual(["PT-0001", "PT-0002"]);
    await shot(consumer, "consumer-accounts");
    await consumer.getByRole("link", { name: "PT-0001" }).click();
    await expect.poll(() => consumer.getByTestId("account-title").textContent()).toBe("Лицевой счёт PT-0001");
    await consumer.getByTestId("tab-readings").click();
    await expect.poll(() => consumer.getByTestId("reading-row").count()).toBe(20);
    await consumer.getByTestId("page-size").selectOption("50");
    await expect.poll(() => consumer.getByTestId("reading-row").count()).toBe(50);
    expect(url(consumer).searchParams.get("tab")).toBe("readings");
    await consumer.getByTestId("page-next").click();
    await expect.poll(() => url(consumer).searchParams.get("page")).toBe("2");
    await expect
      .poll(() => consumer.getByTestId("consumption-chart").getAttribute("data-points"))
      .not.toBe("0");
    await shot(consumer, "consumer-readings");

    // editing the URL to someone else's account shows the refusal, not data
    await consumer.goto(`${system.portalUrl}/consumer/accounts/${accountIds["PT-0011"]}`);
    await expect
      .poll(() => consumer.getByTestId("account-refused").textContent())
      .toContain("Нет доступа к этому лицевому счёту");
    expect(await consumer.getByTestId("account-title").count()).toBe(0);
    expect(await consumer.content()).not.toContain("PT-0011");
    await shot(consumer, "consumer-forbidden");

    // the same on a phone
    const phone = await newPage({ width: 390, height: 844 });
    await phone.goto(
      `${system.portalUrl}/login?next=${encodeURIComponent(`/consumer/accounts/${accountIds["PT-0001"]}?tab=readings`)}`,
    );
    await logIn(phone, "consumer");
    await expect.poll(() => phone.getByTestId("reading-row").count()).toBe(20);
    const width = Number(await phone.evaluate("document.documentElement.scrollWidth"));
    expect(width).toBeLessThanOrEqual(390);
    await shot(phone, "consumer-phone");
  });

  test("profile, FAQ, English remembered, forged session back to login and back", async () => {
    const consumer = await newPage();
    await consumer.goto(`${system.portalUrl}/profile`);
    await logIn(consumer, "consumer");
    await expect.poll(() => url(consumer).pathname).toBe("/profile");
    await consumer.getByLabel("Имя").fill("Иван Петров");
    await consumer.getByLabel("Телефон").fill("+7 900 123-45-67");
    await consumer.getByTestId("profile-save").click();
    await expect.poll(() => consumer.getByTestId("profile-saved").count()).toBe(1);
    await expect.poll(() => consumer.getByTestId("who").textContent()).toContain("Иван Петров");
    await shot(consumer, "profile");

    await consumer.getByRole("link", { name: "Вопросы и ответы" }).click();
    await expect.poll(() => consumer.locator("h1").textContent()).toBe("Вопросы и ответы");
    await consumer.getByTestId("locale-en").click();
    await expect.poll(() => consumer.locator("h1").textContent()).toBe("Frequently asked questions");
    await shot(consumer, "faq-en");
    await consumer.goto(`${system.portalUrl}/consumer/accounts`);
    await expect.poll(() => consumer.locator("h1").textContent()).toBe("My accounts");
    await consumer.getByRole("link", { name: "PT-0001" }).click();
    await consumer.getByTestId("tab-readings").click();
    await expect.poll(() => consumer.getByTestId("reading-row").count()).toBe(20);
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
    await expect.poll(() => url(consumer).pathname).toBe("/login");
    expect(url(consumer).searchParams.get("next")).toMatch(/^\/consumer\/accounts\/\d+\?tab=readings$/);
    await expect
      .poll(() => consumer.getByTestId("session-ended").textContent())
      .toBe("Your session has ended. Please log in again.");
    await logIn(consumer, "consumer");
    await expect.poll(() => url(consumer).pathname).toBe(`/consumer/accounts/${accountIds["PT-0001"]}`);
    await expect.poll(() => consumer.getByTestId("reading-row").count()).toBe(20);

    // logout ends the session on the gateway too
    await consumer.getByTestId("logout").click();
    await expect.poll(() => url(consumer).pathname).toBe("/login");
    await consumer.goto(`${system.portalUrl}/consumer/accounts`);
    await expect.poll(() => url(consumer).pathname).toBe("/login");
  });

  test("a banner says when the system is not in normal mode", async () => {
    const visitor = await newPage();
    await visitor.route("**/health", async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), mode: "service" } });
    });
    await visitor.goto(system.portalUrl);
    await expect.poll(() => visitor.getByTestId("mode-banner").textContent()).toContain("Сервисный режим");
    await expect
      .poll(() => visitor.getByTestId("chain-id").textContent())
      .toBe(String(system.deployment.chainId));
    await shot(visitor, "banner-service");
  });
});

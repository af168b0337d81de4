import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "../db/_test/testDatabases.js";
import { Account, ChainEvent, Document, DocumentFile, Invoice, Organisation } from "../db/entities/index.js";
import { type Database, openDatabase } from "../db/openDatabase.js";
import type { Principal } from "../graphql/context.js";
import { startTestGateway, type TestGateway } from "../webhooks/_test/testGateway.js";
import { extractPdfText } from "./_test/extractPdfText.js";
import { type InvoiceDocumentData, renderInvoicePdf } from "./renderInvoicePdf.js";
import { sha256Hex, storeDocumentFile } from "./storeDocumentFile.js";

const GRID = `0x${"a1".repeat(20)}`;
const RETAIL_A = `0x${"b1".repeat(20)}`;
const RETAIL_B = `0x${"b2".repeat(20)}`;
const CONSUMER = `0x${"c1".repeat(20)}`;
const OTHER = `0x${"c2".repeat(20)}`;
const BANK = `0x${"d1".repeat(20)}`;
const TX = `0x${"ee".repeat(32)}`;
const origin = {
  blockNumber: 10,
  txHash: TX,
  logIndex: 3,
  updatedBlock: 10,
  updatedTxHash: TX,
  updatedLogIndex: 3,
};
const INVOICE_ID = ((1n << 32n) | 2n).toString();

const data: InvoiceDocumentData = {
  number: "СЭС-2-10000001",
  supplier: "ООО «Сосновскэнергосбыт»",
  supplierInn: "7701234567",
  account: "10000001",
  consumer: "Иванова Мария Петровна",
  address: "г. Сосновск, ул. Ленина, д. 12, кв. 45",
  period: ["2026-09-30T21:00:00.000Z", "2026-10-31T21:00:00.000Z"],
  totalKopecks: "123456",
  components: { energy: "80000", transmission: "30000", retailMarkup: "10456", infrastructure: "3000" },
  volumeWh: "215000",
  dueDate: "2026-11-15T21:00:00.000Z",
};

describe("invoice PDF", () => {
  it("is the same bytes for the same data, and different bytes for different data", async () => {
    const [first, second, other] = await Promise.all([
      renderInvoicePdf(data),
      renderInvoicePdf({ ...data }),
      renderInvoicePdf({ ...data, totalKopecks: "123457" }),
    ]);
    expect(first.equals(second)).toBe(true);
    expect(sha256Hex(first)).toBe(sha256Hex(second));
    expect(sha256Hex(other)).not.toBe(sha256Hex(first));
    expect(first.subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("carries the Russian text as real text in an embedded DejaVu subset", async () => {
    const pdf = await renderInvoicePdf(data);
    const { text, fonts } = extractPdfText(pdf);
    expect(fonts.some((font) => /^[A-Z]{6}\+DejaVuSans$/.test(font))).toBe(true);
    expect(fonts.some((font) => /^[A-Z]{6}\+DejaVuSans-Bold$/.test(font))).toBe(true);
    expect(pdf.toString("latin1")).toContain("/FontFile2");
    const flat = text.replace(/[ \t\r\n]+/g, " ");
    expect(flat).toContain("Счёт № СЭС-2-10000001");
    expect(flat).toContain("ООО «Сосновскэнергосбыт»");
    expect(flat).toContain("Иванова Мария Петровна");
    expect(flat).toContain("г. Сосновск, ул. Ленина, д. 12, кв. 45");
    // Moscow dates: the period is October; 1 234,56 roubles with a no-break space
    expect(flat).toContain("с 01.10.2026 по 31.10.2026");
    expect(flat).toContain("Итого к оплате: 1\u00a0234,56 руб.");
    expect(flat).toContain("Сбытовая надбавка");
    expect(flat).toContain("Оплатить до: 16.11.2026");
  });
});

const target = testDatabases("documents")[0]!;
let db: Database;
let gateway: TestGateway;
let pdf: Buffer;

const principals: Record<string, Principal> = {
  operator: { userId: 1, login: "operator", role: "OPERATOR", organisation: undefined },
  grid: { userId: 2, login: "grid", role: "GRID_COMPANY", organisation: GRID as `0x${string}` },
  retailA: { userId: 3, login: "a", role: "RETAIL_COMPANY", organisation: RETAIL_A as `0x${string}` },
  retailB: { userId: 4, login: "b", role: "RETAIL_COMPANY", organisation: RETAIL_B as `0x${string}` },
  consumer: {
    userId: 5,
    login: "c",
    role: "CONSUMER",
    organisation: undefined,
    consumerAddress: CONSUMER as `0x${string}`,
  },
  other: {
    userId: 6,
    login: "o",
    role: "CONSUMER",
    organisation: undefined,
    consumerAddress: OTHER as `0x${string}`,
  },
  bank: { userId: 7, login: "bank", role: "PAYMENT_SOURCE", organisation: BANK as `0x${string}` },
};

beforeAll(async () => {
  db = await openDatabase({ url: target.url });
  pdf = await renderInvoicePdf(data);
  const em = db.em();
  await em.insertMany(
    Organisation,
    [GRID, RETAIL_A, RETAIL_B].map((address, index) => ({
      id: index + 1,
      address,
      kind: index === 0 ? 2 : 3,
      active: true,
      profileHash: TX,
      profileId: TX,
      profileIdText: index === 1 ? "7701234567" : null,
      ...origin,
    })),
  );
  await em.insertMany(Account, [
    {
      id: 1,
      accountNumber: "10000001",
      accountNumberHex: TX,
      consumer: CONSUMER,
      meterId: 1,
      consumerType: 1,
      priceCategory: 0,
      active: true,
      retailCompany: RETAIL_A,
      retailCompanyId: 2,
      gridCompany: GRID,
      gridCompanyId: 1,
      siteId: "Центральный",
      siteIdHex: TX,
      addressRef: "Ленина 12-45",
      addressRefHex: TX,
      tariffGroupId: null,
      tariffKind: null,
      tariffFromPeriod: null,
      creditBalance: 0,
      ...origin,
    },
  ]);
  await em.insert(ChainEvent, {
    blockNumber: 10,
    txHash: TX,
    logIndex: 3,
    contract: "Registry",
    event: "AccountOpened",
    args: {},
    blockTime: 1_790_000_000,
  });
  const anchored = sha256Hex(pdf);
  await em.insert(Invoice, {
    id: INVOICE_ID,
    accountId: 1,
    periodId: 2,
    retailCompanyId: 2,
    planId: 1,
    status: "issued",
    total: 123456,
    energy: 80000,
    transmission: 30000,
    retailMarkup: 10456,
    infrastructure: 3000,
    vat: 0,
    exportCredit: 0,
    volumesWh: [215000, 0, 0, 0, 0],
    documentHash: anchored,
    dueDate: 1_794_000_000,
    confirmedBy: null,
    reasonHash: null,
    paidTotal: 0,
    paidEnergy: 0,
    paidTransmission: 0,
    paidRetailMarkup: 0,
    paidInfrastructure: 0,
    computedAt: 1_793_000_000,
    ...origin,
  });
  await em.insert(Document, {
    blockNumber: 11,
    txHash: TX,
    logIndex: 0,
    hash: anchored,
    kind: "invoice",
    subject: INVOICE_ID,
    accountId: 1,
    blockTime: 1,
  });
  await storeDocumentFile(db.em(), { kind: "invoice", subject: INVOICE_ID, accountId: 1, content: pdf });
  gateway = await startTestGateway({ database: db, principals });
});

afterAll(async () => {
  await gateway?.server.app.close();
  await db?.close();
  await target.drop();
});

const download = (who: string | undefined, url: string) =>
  gateway.server.app.inject({
    method: "GET",
    url,
    headers: who ? { authorization: `Bearer ${gateway.tokens[who]}` } : {},
  });

describe("document downloads", () => {
  it("sends the invoice PDF to the people who see the account, after checking its hash", async () => {
    for (const who of ["consumer", "retailA", "grid", "operator"]) {
      const response = await download(who, `/documents/invoices/${INVOICE_ID}`);
      expect(response.statusCode, who).toBe(200);
      expect(response.headers["content-type"]).toBe("application/pdf");
      expect(response.headers["x-document-sha256"]).toBe(sha256Hex(pdf));
      expect(response.headers["x-document-anchor"]).toBe(`${TX}:0`);
      expect(response.rawPayload.equals(pdf)).toBe(true);
    }
  });

  it("refuses anonymous callers, other consumers, other retail companies and roles without accounts", async () => {
    expect((await download(undefined, `/documents/invoices/${INVOICE_ID}`)).statusCode).toBe(401);
    for (const who of ["other", "retailB", "bank"]) {
      const response = await download(who, `/documents/invoices/${INVOICE_ID}`);
      expect(response.statusCode, who).toBe(403);
      expect(response.headers["content-type"]).toContain("application/problem+json");
      expect(response.json()).toMatchObject({ code: "FORBIDDEN", status: 403 });
    }
    expect((await download("operator", "/documents/invoices/12x")).statusCode).toBe(400);
    const missing = await download("operator", `/documents/invoices/${((1n << 32n) | 3n).toString()}`);
    expect(missing.json()).toMatchObject({ status: 404, code: "NOT_FOUND" });
  });

  it("refuses a stored file that does not match the on-chain hash and sends nothing of it", async () => {
    const tampered = Buffer.from(pdf);
    const at = tampered.length - 20;
    tampered[at] = tampered[at]! ^ 1;
    await db.em().nativeUpdate(DocumentFile, { kind: "invoice", subject: INVOICE_ID }, { content: tampered });
    const response = await download("consumer", `/documents/invoices/${INVOICE_ID}`);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      code: "DOCUMENT_HASH_MISMATCH",
      type: "https://gridledger.dev/problems/document-hash-mismatch",
      detail: expect.stringContaining(sha256Hex(pdf)),
    });
    expect(response.rawPayload.includes(Buffer.from("%PDF-"))).toBe(false);
    await storeDocumentFile(db.em(), { kind: "invoice", subject: INVOICE_ID, accountId: 1, content: pdf });
    expect((await download("consumer", `/documents/invoices/${INVOICE_ID}`)).statusCode).toBe(200);
  });

  it("renders the supply contract for the account's consumer, the same bytes each time", async () => {
    const first = await download("consumer", "/documents/contracts/1");
    expect(first.statusCode).toBe(200);
    expect(first.headers["x-document-anchor"]).toBe("none");
    const second = await download("retailA", "/documents/contracts/1");
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    const text = extractPdfText(first.rawPayload).text.replace(/\s+/g, " ");
    expect(text).toContain("Договор энергоснабжения № ДЭС-10000001");
    expect(text).toContain("Ленина 12-45");
    expect(text).toContain("Центральный");
    expect((await download("other", "/documents/contracts/1")).statusCode).toBe(403);
  });
});

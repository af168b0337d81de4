import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "../db/_test/testDatabases.js";
import { Account, ChainEvent, Document, DocumentFile, Invoice, Organisation } from "../db/entities/index.js";
import { type Database, openDatabase } from "../db/openDatabase.js";
import type { Principal } from "../graphql/context.js";
import { startTestGateway, type TestGateway } from "../webhooks/_test/testGateway.js";
import { extractPdfText } from "./_test/extractPdfText.js";
import { type InvoiceDocumentData, renderInvoicePdf } from "./renderInvoicePdf.js";
import { renderSupplyContractPdf, type SupplyContractData } from "./renderSupplyContractPdf.js";
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

  it("refuses the supply contract of an account that has none anchored on chain", async () => {
    const response = await download("consumer", "/documents/contracts/1");
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ status: 404, code: "DOCUMENT_NOT_ANCHORED" });
    expect((await download("other", "/documents/contracts/1")).statusCode).toBe(403);
  });

  it("sends the anchored supply contract to the people who see the account, and refuses others", async () => {
    const contract = await renderSupplyContractPdf({ ...contractData, number: "ДЭС-10000001/1" });
    await anchorContract(20, sha256Hex(contract));
    await storeDocumentFile(db.em(), {
      kind: "supplyContract",
      subject: "1",
      accountId: 1,
      content: contract,
    });
    for (const who of ["consumer", "retailA", "grid", "operator"]) {
      const response = await download(who, "/documents/contracts/1.pdf");
      expect(response.statusCode, who).toBe(200);
      expect(response.headers["content-type"]).toBe("application/pdf");
      expect(response.headers["x-document-sha256"]).toBe(sha256Hex(contract));
      expect(response.headers["x-document-anchor"]).toBe(`${TX}:20`);
      expect(response.rawPayload.equals(contract)).toBe(true);
    }
    expect((await download(undefined, "/documents/contracts/1")).statusCode).toBe(401);
    for (const who of ["other", "retailB", "bank"]) {
      const response = await download(who, "/documents/contracts/1");
      expect(response.statusCode, who).toBe(403);
      expect(response.json()).toMatchObject({ code: "FORBIDDEN" });
    }
    expect((await download("operator", "/documents/contracts/1x")).statusCode).toBe(400);
  });

  it("refuses a tampered stored contract, and a contract superseded by a later anchor", async () => {
    const contract = await renderSupplyContractPdf({ ...contractData, number: "ДЭС-10000001/1" });
    const tampered = Buffer.from(contract);
    const at = tampered.length - 20;
    tampered[at] = tampered[at]! ^ 1;
    await db.em().nativeUpdate(DocumentFile, { kind: "supplyContract", subject: "1" }, { content: tampered });
    const response = await download("consumer", "/documents/contracts/1");
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      code: "DOCUMENT_HASH_MISMATCH",
      detail: expect.stringContaining(sha256Hex(contract)),
    });
    expect(response.rawPayload.includes(Buffer.from("%PDF-"))).toBe(false);
    await storeDocumentFile(db.em(), {
      kind: "supplyContract",
      subject: "1",
      accountId: 1,
      content: contract,
    });
    expect((await download("consumer", "/documents/contracts/1")).statusCode).toBe(200);

    // a re-signed contract is anchored: the old file no longer passes, the new one does
    const resigned = await renderSupplyContractPdf({ ...contractData, number: "ДЭС-10000001/2" });
    await anchorContract(21, sha256Hex(resigned));
    const stale = await download("consumer", "/documents/contracts/1");
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: "DOCUMENT_HASH_MISMATCH" });
    await storeDocumentFile(db.em(), {
      kind: "supplyContract",
      subject: "1",
      accountId: 1,
      content: resigned,
    });
    const fresh = await download("consumer", "/documents/contracts/1");
    expect(fresh.statusCode).toBe(200);
    expect(fresh.headers["x-document-anchor"]).toBe(`${TX}:21`);
    expect(fresh.rawPayload.equals(resigned)).toBe(true);
  });

  it("without a stored file, renders the contract from the index and sends it only when it matches the anchor", async () => {
    await db.em().nativeDelete(DocumentFile, { kind: "supplyContract", subject: "1" });
    // the anchor is of the re-signed contract, which the index does not render
    const refused = await download("consumer", "/documents/contracts/1");
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: "DOCUMENT_HASH_MISMATCH" });
    const rendered = await renderSupplyContractPdf(contractData);
    await anchorContract(22, sha256Hex(rendered));
    const first = await download("consumer", "/documents/contracts/1");
    expect(first.statusCode).toBe(200);
    expect(first.rawPayload.equals(rendered)).toBe(true);
    const text = extractPdfText(first.rawPayload).text.replace(/\s+/g, " ");
    expect(text).toContain("Договор энергоснабжения № ДЭС-10000001");
    expect(text).toContain("Ленина 12-45");
    expect(text).toContain("Центральный");
    const second = await download("retailA", "/documents/contracts/1");
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
  });
});

/** The contract of account 1 as the gateway renders it from the rows above (no profile, no meter row). */
const contractData: SupplyContractData = {
  number: "ДЭС-10000001",
  concludedAt: new Date(1_790_000_000 * 1000).toISOString(),
  supplier: RETAIL_A,
  supplierInn: "7701234567",
  consumerAddress: CONSUMER,
  account: "10000001",
  installationAddress: "Ленина 12-45",
  site: "Центральный",
  meterSerial: "1",
  chainRef: `блок 10, транзакция ${TX}, событие 3`,
};

/** An `AccountDocumentAnchored` row of account 1's supply contract at block `blockNumber`. */
async function anchorContract(blockNumber: number, hash: string) {
  await db.em().insert(Document, {
    blockNumber,
    txHash: TX,
    logIndex: blockNumber,
    hash,
    kind: "supplyContract",
    subject: "1",
    accountId: 1,
    blockTime: blockNumber,
  });
}

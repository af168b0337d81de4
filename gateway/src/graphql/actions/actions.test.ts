import { readingsAbi, registryAbi, settlementAbi, tariffsAbi } from "@gridledger/contracts";
import { type Address, type Hex, keccak256, recoverTypedDataAddress, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { testDatabases } from "../../db/_test/testDatabases.js";
import {
  ChainEvent,
  DocumentBody,
  Invoice,
  OrganisationProfile,
  Payment,
  Reading,
  TariffChoice,
  TariffGroup,
  TariffPlan,
} from "../../db/entities/index.js";
import {
  type ActionsChain,
  type ActionsGateway,
  consumerPrincipal,
  staff,
  startActionsChain,
  startActionsGateway,
} from "./_test/actionsFixture.js";
import { COMPANY_PROFILE_TYPES } from "./profile/companyProfile.resolver.js";

/**
 * Every action mutation end to end: the gateway signs with the caller's own key (from the dev
 * mnemonic, as the embedded system does), the transaction is mined on a real chain, the indexer
 * writes it, and the next query sees it. Each mutation is also tried by a wrong role, with bad input,
 * and into a contract revert whose custom error must come back as its code.
 */
let actions: ActionsChain;
beforeAll(async () => {
  actions = await startActionsChain();
}, 300_000);
afterAll(async () => {
  await actions?.stop();
});

const RESULT = "transactionHash blockNumber sender indexed";
const CREATE_GROUP = `mutation($input: CreateTariffGroupInput!) { createTariffGroup(input: $input) { groupId ${RESULT} } }`;
const EDIT_GROUP = `mutation($groupId: String!, $name: String!) { editTariffGroup(groupId: $groupId, name: $name) { ${RESULT} } }`;
const DELETE_GROUP = `mutation($groupId: String!) { deleteTariffGroup(groupId: $groupId) { ${RESULT} } }`;
const ADD_PLAN = `mutation($groupId: String!, $plan: TariffPlanInput!) { addTariffPlan(groupId: $groupId, plan: $plan) { planId ${RESULT} } }`;
const CLOSE_PLAN = `mutation($planId: String!, $validTo: String!) { closeTariffPlan(planId: $planId, validTo: $validTo) { ${RESULT} } }`;
const DELETE_PLAN = `mutation($planId: String!) { deleteTariffPlan(planId: $planId) { ${RESULT} } }`;
const CHOOSE = `mutation($accountId: String!, $groupId: String!, $kind: TariffKind!) { chooseTariff(accountId: $accountId, groupId: $groupId, kind: $kind) { fromPeriod ${RESULT} } }`;
const MANUAL = `mutation($input: ManualReadingsInput!) { submitManualReadings(input: $input) { source accepted duplicates ${RESULT} } }`;
const CONFIRM = `mutation($invoiceId: String!) { confirmInvoice(invoiceId: $invoiceId) { ${RESULT} } }`;
const DISPUTE = `mutation($invoiceId: String!, $reason: String!) { disputeInvoice(invoiceId: $invoiceId, reason: $reason) { reasonHash ${RESULT} } }`;
const PAYMENT_FIELDS = `source paymentNumber amount applied credited split ${RESULT}`;
const RECORD_PAYMENT = `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { ${PAYMENT_FIELDS} } }`;
const RECORD_PREPAYMENT = `mutation($input: RecordPrepaymentInput!) { recordPrepayment(input: $input) { ${RESULT} } }`;
const MANDATE = `mutation($accountId: String!, $source: String!, $limit: String!) { setDebitMandate(accountId: $accountId, source: $source, limitPerDebit: $limit) { ${RESULT} } }`;
const PAY = `mutation($invoiceId: String!, $amount: String) { payInvoice(invoiceId: $invoiceId, amount: $amount) { ${PAYMENT_FIELDS} } }`;
const PROFILE = `mutation($input: CompanyProfileInput!) { updateCompanyProfile(input: $input) { profileHash organisationSignature ${RESULT} } }`;
const TRANSACTION = `query($hash: String!) { transaction(hash: $hash) {
  hash blockNumber blockHash blockTime from to status call { contract functionName argsJson }
  events { logIndex contract eventName argsJson indexed } verified verification { receiptFound blockMatches logsMatch problems } } }`;

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
const singleRate = (validFrom: number, validTo?: number) => ({
  kind: "SINGLE_RATE",
  validFrom: iso(validFrom),
  ...(validTo ? { validTo: iso(validTo) } : {}),
  vatBp: 2000,
  vatIncluded: true,
  rates: [{ energy: "350000", transmission: "200000", retailMarkup: "40000", infrastructure: "1000" }],
});
const rate = (energy: number) => ({
  energy: String(energy),
  transmission: "150000",
  retailMarkup: "30000",
  infrastructure: "1000",
});

/** Invoices handed out to tests, so that each database's run answers different ones. */
let nextInvoice = 0;

describe.each(testDatabases("actions"))("actions on $name", (testDatabase) => {
  let gw: ActionsGateway;
  const tokens: Record<string, string> = {};
  const code = (answer: Awaited<ReturnType<ActionsGateway["graphql"]>>) =>
    answer.errors?.[0]?.extensions.code;
  const ok = (answer: Awaited<ReturnType<ActionsGateway["graphql"]>>, field: string) => {
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    const result = answer.data?.[field] as Record<string, string | boolean | number | string[]>;
    expect(result.indexed).toBe(true);
    expect(result.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    return result;
  };
  const chainTime = async () => Number((await actions.client.getBlock()).timestamp);
  /** Adds a plan to a tariff group through the API as `token`'s organisation; the raw answer. */
  const addPlan = (groupId: string, plan: unknown, token: string | undefined) =>
    gw.graphql(ADD_PLAN, { groupId, plan }, token);
  /** A tariff group of retail company A, created through the API (the setup of most tariff tests). */
  const createGroupA = async (name: string, consumerType = "HOUSEHOLD", priceCategory = 0) =>
    ok(
      await gw.graphql(CREATE_GROUP, { input: { name, consumerType, priceCategory } }, tokens.retailA),
      "createTariffGroup",
    ).groupId as string;
  const takeInvoice = () => actions.issuedInvoices[nextInvoice++]!;

  beforeAll(async () => {
    gw = await startActionsGateway(actions, testDatabase);
    const a = actions.accounts;
    tokens.operator = await gw.login(staff("OPERATOR", a.operator.address));
    tokens.grid = await gw.login(staff("GRID_COMPANY", a.gridCompany.address));
    tokens.retailA = await gw.login(staff("RETAIL_COMPANY", a.retailCompanyA.address));
    tokens.retailB = await gw.login(staff("RETAIL_COMPANY", a.retailCompanyB.address));
    tokens.bank = await gw.login(staff("PAYMENT_SOURCE", a.bank.address));
  }, 180_000);
  afterAll(async () => {
    await gw?.stop();
  });
  const consumerToken = (address: Address) => gw.login(consumerPrincipal(address));

  describe("tariff groups and plans (retail company)", () => {
    test("createTariffGroup signs with the retail company's key; the group is indexed when the answer comes", async () => {
      const answer = await gw.graphql(
        CREATE_GROUP,
        { input: { name: "Городские дома", consumerType: "HOUSEHOLD", priceCategory: 0 } },
        tokens.retailA,
      );
      const result = ok(answer, "createTariffGroup");
      expect(result.sender).toBe(actions.accounts.retailCompanyA.address);
      const row = await gw.database.em().findOne(TariffGroup, { id: Number(result.groupId) });
      expect(row).toMatchObject({
        retailCompany: actions.accounts.retailCompanyA.address.toLowerCase(),
        deleted: false,
      });
      const tx = await actions.client.getTransaction({ hash: result.transactionHash as Hex });
      expect(tx.from.toLowerCase()).toBe(actions.accounts.retailCompanyA.address.toLowerCase());
    });

    test("concurrent actions of one organisation get consecutive nonces and all land", async () => {
      const answers = await Promise.all(
        [1, 2, 3, 4, 5].map((n) =>
          gw.graphql(
            CREATE_GROUP,
            { input: { name: `Группа ${n}`, consumerType: "HOUSEHOLD", priceCategory: 0 } },
            tokens.retailB,
          ),
        ),
      );
      const ids = answers.map((answer) => ok(answer, "createTariffGroup").groupId);
      expect(new Set(ids).size).toBe(5);
      const nonces = await Promise.all(
        answers.map(
          async (answer) =>
            (
              await actions.client.getTransaction({
                hash: (answer.data!.createTariffGroup as { transactionHash: Hex }).transactionHash,
              })
            ).nonce,
        ),
      );
      const sorted = [...nonces].sort((x, y) => x - y);
      expect(sorted.at(-1)! - sorted[0]!).toBe(4);
    });

    test("createTariffGroup: wrong role, bad input, and the contract's category rule as INVALID_PRICE_CATEGORY", async () => {
      const input = { name: "Группа", consumerType: "HOUSEHOLD", priceCategory: 0 };
      expect(code(await gw.graphql(CREATE_GROUP, { input }, tokens.bank))).toBe("FORBIDDEN");
      expect(
        code(await gw.graphql(CREATE_GROUP, { input: { ...input, priceCategory: 7 } }, tokens.retailA)),
      ).toBe("BAD_USER_INPUT");
      expect(
        code(await gw.graphql(CREATE_GROUP, { input: { ...input, name: "Я".repeat(17) } }, tokens.retailA)),
      ).toBe("INVALID_NAME");
      const refused = await gw.graphql(
        CREATE_GROUP,
        { input: { ...input, priceCategory: 2 } },
        tokens.retailA,
      );
      expect(code(refused)).toBe("INVALID_PRICE_CATEGORY");
      expect(refused.errors?.[0]?.message).toContain("TariffInvalidCategory(1, 2)");
    });

    test("editTariffGroup renames its own group; another company's group is FORBIDDEN by the contract", async () => {
      const created = ok(
        await gw.graphql(
          CREATE_GROUP,
          { input: { name: "Старое", consumerType: "HOUSEHOLD", priceCategory: 0 } },
          tokens.retailA,
        ),
        "createTariffGroup",
      );
      ok(
        await gw.graphql(EDIT_GROUP, { groupId: created.groupId, name: "Новое имя" }, tokens.retailA),
        "editTariffGroup",
      );
      const row = await gw.database
        .em()
        .fork()
        .findOne(TariffGroup, { id: Number(created.groupId) });
      expect(row?.name).toBe("Новое имя");
      const foreign = await gw.graphql(
        EDIT_GROUP,
        { groupId: created.groupId, name: "Чужое" },
        tokens.retailB,
      );
      expect(code(foreign)).toBe("FORBIDDEN");
      expect(foreign.errors?.[0]?.message).toContain("TariffNotOwner");
      expect(code(await gw.graphql(EDIT_GROUP, { groupId: "abc", name: "x" }, tokens.retailA))).toBe(
        "INVALID_ID",
      );
      expect(code(await gw.graphql(EDIT_GROUP, { groupId: "999999", name: "x" }, tokens.retailA))).toBe(
        "TARIFF_GROUP_NOT_FOUND",
      );
      expect(code(await gw.graphql(EDIT_GROUP, { groupId: created.groupId, name: "x" }, tokens.grid))).toBe(
        "FORBIDDEN",
      );
    });

    test("addTariffPlan: single, two-zone and three-zone with zone hours, tiered, social norm, legal-entity category", async () => {
      const now = await chainTime();
      const household = await createGroupA("Все виды");
      const plans = [
        singleRate(now - 86_400),
        {
          ...singleRate(now - 86_400),
          kind: "TWO_ZONE",
          zoneHours: [
            { startHour: 7, endHour: 23, zone: 0 },
            { startHour: 23, endHour: 7, zone: 1 },
          ],
          rates: [rate(400_000), rate(150_000)],
        },
        {
          ...singleRate(now - 86_400),
          kind: "THREE_ZONE",
          zoneHours: [
            { startHour: 7, endHour: 10, zone: 0 },
            { startHour: 10, endHour: 17, zone: 1 },
            { startHour: 17, endHour: 21, zone: 0 },
            { startHour: 21, endHour: 23, zone: 1 },
            { startHour: 23, endHour: 7, zone: 2 },
          ],
          rates: [rate(500_000), rate(350_000), rate(150_000)],
        },
        {
          ...singleRate(now - 86_400),
          kind: "VOLUME_RANGE",
          threshold1: "150000",
          threshold2: "600000",
          rates: [rate(300_000), rate(400_000), rate(600_000)],
        },
        {
          ...singleRate(now - 86_400),
          kind: "SOCIAL_NORM",
          threshold1: "90000",
          rates: [rate(300_000), rate(500_000)],
        },
      ];
      for (const plan of plans) {
        const result = ok(await addPlan(household, plan, tokens.retailA), "addTariffPlan");
        const row = await gw.database
          .em()
          .fork()
          .findOne(TariffPlan, { id: Number(result.planId) });
        expect(row?.groupId).toBe(Number(household));
      }
      const legal = await createGroupA("ЮЛ 3 ЦК", "LEGAL_ENTITY", 3);
      ok(
        await addPlan(legal, { ...singleRate(now + 86_400), vatIncluded: false }, tokens.retailA),
        "addTariffPlan",
      );
    });

    test("addTariffPlan: overlapping versions, zone hours with a gap, rows that do not fit the kind are refused by the contract", async () => {
      const now = await chainTime();
      const group = await createGroupA("Проверки");
      ok(await addPlan(group, singleRate(now - 3600), tokens.retailA), "addTariffPlan");
      expect(code(await addPlan(group, singleRate(now + 3600), tokens.retailA))).toBe("OVERLAPPING_VALIDITY");
      const gap = {
        ...singleRate(now),
        kind: "TWO_ZONE",
        zoneHours: [
          { startHour: 7, endHour: 22, zone: 0 },
          { startHour: 23, endHour: 7, zone: 1 },
        ],
        rates: [rate(400_000), rate(150_000)],
      };
      expect(code(await addPlan(group, gap, tokens.retailA))).toBe("ZONE_HOURS_INCOMPLETE");
      const twoRowsSingle = { ...singleRate(now), rates: [rate(1), rate(2)] };
      expect(code(await addPlan(group, twoRowsSingle, tokens.retailA))).toBe("INVALID_RATES");
      expect(code(await addPlan(group, { ...singleRate(now), validFrom: "yesterday" }, tokens.retailA))).toBe(
        "BAD_USER_INPUT",
      );
      expect(
        code(await addPlan(group, { ...singleRate(now), validFrom: "2026-11-27T10:00:00" }, tokens.retailA)),
      ).toBe("INVALID_DATE");
      expect(code(await addPlan(group, singleRate(now + 86_400 * 400), tokens.bank))).toBe("FORBIDDEN");
    });

    test("closeTariffPlan ends a version; a past end is INVALID_VALIDITY; deleteTariffPlan/deleteTariffGroup only before they apply", async () => {
      const now = await chainTime();
      const group = await createGroupA("Будущая");
      const current = ok(
        await addPlan(group, singleRate(now - 3600), tokens.retailA),
        "addTariffPlan",
      ).planId;
      expect(
        code(await gw.graphql(CLOSE_PLAN, { planId: current, validTo: iso(now - 60) }, tokens.retailA)),
      ).toBe("INVALID_VALIDITY");
      ok(
        await gw.graphql(CLOSE_PLAN, { planId: current, validTo: iso(now + 86_400) }, tokens.retailA),
        "closeTariffPlan",
      );
      const row = await gw.database
        .em()
        .fork()
        .findOne(TariffPlan, { id: Number(current) });
      expect(row?.validTo).toBe(now + 86_400);
      const next = ok(await addPlan(group, singleRate(now + 86_400), tokens.retailA), "addTariffPlan").planId;
      expect(code(await gw.graphql(DELETE_PLAN, { planId: current }, tokens.retailA))).toBe(
        "TARIFF_IN_EFFECT",
      );
      expect(code(await gw.graphql(DELETE_PLAN, { planId: next }, tokens.retailB))).toBe("FORBIDDEN");
      ok(await gw.graphql(DELETE_PLAN, { planId: next }, tokens.retailA), "deleteTariffPlan");
      expect(code(await gw.graphql(DELETE_GROUP, { groupId: group }, tokens.retailA))).toBe(
        "TARIFF_IN_EFFECT",
      );

      const future = await createGroupA("Отменяемая");
      ok(await addPlan(future, singleRate(now + 30 * 86_400), tokens.retailA), "addTariffPlan");
      expect(code(await gw.graphql(DELETE_GROUP, { groupId: future }, tokens.grid))).toBe("FORBIDDEN");
      expect(code(await gw.graphql(DELETE_GROUP, { groupId: "0" }, tokens.retailA))).toBe("INVALID_ID");
      ok(await gw.graphql(DELETE_GROUP, { groupId: future }, tokens.retailA), "deleteTariffGroup");
      expect(
        (
          await gw.database
            .em()
            .fork()
            .findOne(TariffGroup, { id: Number(future) })
        )?.deleted,
      ).toBe(true);
    });
  });
  describe("tariff choice (consumer, or the retail company for the account)", () => {
    test("a consumer chooses an open tariff for the next period with their own key; the retail company may assign one", async () => {
      const consumer = actions.consumers.find((c) => !c.legal && c.retail === "A" && c.meter.remoteReading)!;
      const now = await chainTime();
      const group = await createGroupA("Открытая");
      ok(await addPlan(group, singleRate(now - 3600), tokens.retailA), "addTariffPlan");
      const token = await consumerToken(consumer.chainAddress);
      const chosen = ok(
        await gw.graphql(
          CHOOSE,
          { accountId: String(consumer.accountId), groupId: group, kind: "SINGLE_RATE" },
          token,
        ),
        "chooseTariff",
      );
      expect(chosen.sender).toBe(consumer.chainAddress);
      expect(chosen.fromPeriod).toBeGreaterThan(0);
      const choice = await actions.read<{ nextGroupId: bigint }>("Tariffs", tariffsAbi, "getChoice", [
        consumer.accountId,
      ]);
      expect(choice.nextGroupId).toBe(BigInt(group as string));
      expect(
        await gw.database
          .em()
          .fork()
          .count(TariffChoice, { accountId: Number(consumer.accountId) }),
      ).toBeGreaterThan(0);

      const assigned = ok(
        await gw.graphql(
          CHOOSE,
          { accountId: String(consumer.accountId), groupId: group, kind: "SINGLE_RATE" },
          tokens.retailA,
        ),
        "chooseTariff",
      );
      expect(assigned.sender).toBe(actions.accounts.retailCompanyA.address);
    });

    test("a closed tariff is TARIFF_NOT_OPEN; another's account is FORBIDDEN; a bank may not choose; a bad kind is refused", async () => {
      const [mine, other] = actions.consumers.filter((c) => !c.legal && c.retail === "A");
      const token = await consumerToken(mine!.chainAddress);
      const now = await chainTime();
      const legalGroup = await createGroupA("Только ЮЛ", "LEGAL_ENTITY", 1);
      ok(await addPlan(legalGroup, singleRate(now - 3600), tokens.retailA), "addTariffPlan");
      const vars = { accountId: String(mine!.accountId), groupId: legalGroup, kind: "SINGLE_RATE" };
      expect(code(await gw.graphql(CHOOSE, vars, token))).toBe("TARIFF_NOT_OPEN");
      expect(code(await gw.graphql(CHOOSE, { ...vars, accountId: String(other!.accountId) }, token))).toBe(
        "FORBIDDEN",
      );
      expect(
        code(await gw.graphql(CHOOSE, { ...vars, accountId: String(mine!.accountId) }, tokens.retailB)),
      ).toBe("FORBIDDEN");
      expect(code(await gw.graphql(CHOOSE, vars, tokens.bank))).toBe("FORBIDDEN");
      expect(code(await gw.graphql(CHOOSE, { ...vars, kind: "CHEAPEST" }, token))).toBe("BAD_USER_INPUT");
    });

    test("a consumer the gateway holds no key for gets CONSUMER_KEY_MISSING, and nothing is sent", async () => {
      const stranger = privateKeyToAccount(keccak256(toHex("no key in the gateway"))).address;
      const token = await consumerToken(stranger);
      const consumer = actions.consumers[0]!;
      const answer = await gw.graphql(
        CHOOSE,
        { accountId: String(consumer.accountId), groupId: "1", kind: "SINGLE_RATE" },
        token,
      );
      expect(code(answer)).toBe("CONSUMER_KEY_MISSING");
      expect(await actions.client.getTransactionCount({ address: stranger })).toBe(0);
    });
  });

  describe("manual readings (the contract's manual path with its source)", () => {
    const manualConsumer = () => actions.consumers.find((c) => !c.meter.remoteReading)!;
    const lastOf = async (meterId: bigint) => {
      const [lastEnd, registers] = await actions.read<[number, readonly bigint[]]>(
        "Readings",
        readingsAbi,
        "meterState",
        [meterId],
      );
      return { lastEnd, t1: BigInt(registers[0]!) };
    };

    test("the consumer of a meter without remote reading submits with their own key: source CONSUMER, indexed", async () => {
      const consumer = manualConsumer();
      const { lastEnd, t1 } = await lastOf(consumer.meterId);
      const token = await consumerToken(consumer.chainAddress);
      const input = {
        meterId: String(consumer.meterId),
        readings: [{ intervalEnd: iso(lastEnd + 1800), t1: String(t1 + 1234n) }],
      };
      const result = ok(await gw.graphql(MANUAL, { input }, token), "submitManualReadings");
      expect(result).toMatchObject({
        source: "CONSUMER",
        accepted: 1,
        duplicates: 0,
        sender: consumer.chainAddress,
      });
      const stored = await gw.database
        .em()
        .fork()
        .findOne(Reading, { meterId: Number(consumer.meterId), intervalEnd: lastEnd + 1800 });
      expect(stored).not.toBeNull();
      // the same reading again is a duplicate, not a second row
      expect(ok(await gw.graphql(MANUAL, { input }, token), "submitManualReadings")).toMatchObject({
        accepted: 0,
        duplicates: 1,
      });
    });

    test("staff enter readings for any meter (source OPERATOR); a register going down is DECREASING_REGISTER", async () => {
      const remote = actions.consumers.find(
        (c) => c.meter.remoteReading && c.meter.tariffZones === 1 && !c.meter.exportCapable,
      )!;
      const { lastEnd, t1 } = await lastOf(remote.meterId);
      const input = (end: number, value: bigint) => ({
        meterId: String(remote.meterId),
        readings: [{ intervalEnd: iso(end), t1: String(value) }],
      });
      const result = ok(
        await gw.graphql(MANUAL, { input: input(lastEnd + 1800, t1 + 10n) }, tokens.grid),
        "submitManualReadings",
      );
      expect(result).toMatchObject({
        source: "OPERATOR",
        accepted: 1,
        sender: actions.accounts.gridCompany.address,
      });
      const down = await gw.graphql(MANUAL, { input: input(lastEnd + 3600, t1) }, tokens.operator);
      expect(code(down)).toBe("DECREASING_REGISTER");
      expect((await lastOf(remote.meterId)).lastEnd).toBe(lastEnd + 1800);
    });

    test("a consumer may not type readings of a remote meter (REMOTE_METER) nor of another's meter; bad input has its code", async () => {
      const consumer = manualConsumer();
      const token = await consumerToken(consumer.chainAddress);
      const remote = actions.consumers.find((c) => c.meter.remoteReading)!;
      const remoteToken = await consumerToken(remote.chainAddress);
      const { lastEnd } = await lastOf(remote.meterId);
      const reading = (meterId: bigint, end: number) => ({
        meterId: String(meterId),
        readings: [{ intervalEnd: iso(end), t1: "999999999" }],
      });
      expect(
        code(await gw.graphql(MANUAL, { input: reading(remote.meterId, lastEnd + 1800) }, remoteToken)),
      ).toBe("REMOTE_METER");
      expect(code(await gw.graphql(MANUAL, { input: reading(remote.meterId, lastEnd + 1800) }, token))).toBe(
        "FORBIDDEN",
      );
      expect(
        code(await gw.graphql(MANUAL, { input: reading(consumer.meterId, lastEnd + 1800) }, tokens.retailA)),
      ).toBe("FORBIDDEN");
      expect(
        code(await gw.graphql(MANUAL, { input: reading(consumer.meterId, lastEnd + 1799) }, token)),
      ).toBe("INVALID_READING");
      const mixed = {
        meterId: String(consumer.meterId),
        readings: [
          { intervalEnd: iso(lastEnd + 1800), t1: "1" },
          { intervalEnd: iso(lastEnd + 3600), t2: "1" },
        ],
      };
      expect(code(await gw.graphql(MANUAL, { input: mixed }, token))).toBe("INVALID_READING");
      expect(
        code(
          await gw.graphql(MANUAL, { input: { ...reading(consumer.meterId, lastEnd), meterId: "0" } }, token),
        ),
      ).toBe("BAD_USER_INPUT");
      const future = await chainTime();
      expect(
        code(
          await gw.graphql(
            MANUAL,
            { input: reading(consumer.meterId, Math.ceil(future / 1800) * 1800 + 86_400) },
            token,
          ),
        ),
      ).toBe("INTERVAL_IN_FUTURE");
    });
  });

  describe("invoices (consumer)", () => {
    test("confirmInvoice: the consumer's own key confirms; again is INVOICE_INVALID_STATUS; others are FORBIDDEN", async () => {
      const { consumer, invoiceId } = takeInvoice();
      const token = await consumerToken(consumer.chainAddress);
      const other = await consumerToken(
        actions.consumers.find((c) => c.accountId !== consumer.accountId)!.chainAddress,
      );
      expect(code(await gw.graphql(CONFIRM, { invoiceId: String(invoiceId) }, other))).toBe("FORBIDDEN");
      expect(code(await gw.graphql(CONFIRM, { invoiceId: String(invoiceId) }, tokens.retailA))).toBe(
        "FORBIDDEN",
      );
      expect(code(await gw.graphql(CONFIRM, { invoiceId: "12x" }, token))).toBe("INVALID_ID");
      expect(code(await gw.graphql(CONFIRM, { invoiceId: "4294967297" }, token))).toBe("INVOICE_NOT_FOUND");
      const result = ok(await gw.graphql(CONFIRM, { invoiceId: String(invoiceId) }, token), "confirmInvoice");
      expect(result.sender).toBe(consumer.chainAddress);
      const row = await gw.database
        .em()
        .fork()
        .findOne(Invoice, { id: String(invoiceId) });
      expect(row).toMatchObject({ status: "confirmed", confirmedBy: consumer.chainAddress.toLowerCase() });
      expect(code(await gw.graphql(CONFIRM, { invoiceId: String(invoiceId) }, token))).toBe(
        "INVOICE_INVALID_STATUS",
      );
    });

    test("disputeInvoice anchors the reason's hash and keeps the text; a confirmed invoice cannot be disputed", async () => {
      const { consumer, invoiceId } = takeInvoice();
      const token = await consumerToken(consumer.chainAddress);
      const reason = "Показания завышены: счётчик стоит в неотапливаемом подвале";
      expect(code(await gw.graphql(DISPUTE, { invoiceId: String(invoiceId), reason: "no" }, token))).toBe(
        "BAD_USER_INPUT",
      );
      expect(code(await gw.graphql(DISPUTE, { invoiceId: String(invoiceId), reason }, tokens.bank))).toBe(
        "FORBIDDEN",
      );
      const result = ok(
        await gw.graphql(DISPUTE, { invoiceId: String(invoiceId), reason }, token),
        "disputeInvoice",
      );
      expect(result.reasonHash).toBe(keccak256(toHex(reason)));
      const em = gw.database.em().fork();
      expect(await em.findOne(Invoice, { id: String(invoiceId) })).toMatchObject({
        status: "disputed",
        reasonHash: result.reasonHash,
      });
      expect(await em.findOne(DocumentBody, { hash: result.reasonHash as string })).toMatchObject({
        body: reason,
        kind: "disputeReason",
      });
      expect(code(await gw.graphql(DISPUTE, { invoiceId: String(invoiceId), reason }, token))).toBe(
        "INVOICE_INVALID_STATUS",
      );
    });
  });

  describe("payments", () => {
    test("recordPayment by the bank's key splits the payment; the same payment number again is PAYMENT_ALREADY_RECORDED", async () => {
      const { invoiceId, total } = takeInvoice();
      const paymentNumber = String(7_000_000 + nextInvoice);
      const input = {
        invoiceId: String(invoiceId),
        amount: String(total),
        method: "BANK_TRANSFER",
        paymentNumber,
        externalRef: `ПП-${paymentNumber}`,
      };
      expect(code(await gw.graphql(RECORD_PAYMENT, { input }, tokens.retailA))).toBe("FORBIDDEN");
      expect(code(await gw.graphql(RECORD_PAYMENT, { input: { ...input, amount: "0" } }, tokens.bank))).toBe(
        "INVALID_AMOUNT",
      );
      expect(code(await gw.graphql(RECORD_PAYMENT, { input: { ...input, amount: "-5" } }, tokens.bank))).toBe(
        "BAD_USER_INPUT",
      );
      expect(
        code(await gw.graphql(RECORD_PAYMENT, { input: { ...input, method: "DIRECT_DEBIT" } }, tokens.bank)),
      ).toBe("INVALID_PAYMENT_METHOD");
      const result = ok(await gw.graphql(RECORD_PAYMENT, { input }, tokens.bank), "recordPayment");
      expect(result).toMatchObject({
        source: actions.accounts.bank.address,
        amount: String(total),
        applied: String(total),
        credited: "0",
      });
      expect((result.split as string[]).reduce((sum, part) => sum + BigInt(part), 0n)).toBe(total);
      const row = await gw.database
        .em()
        .fork()
        .findOne(Payment, { txHash: result.transactionHash as string });
      expect(row).not.toBeNull();
      expect(code(await gw.graphql(RECORD_PAYMENT, { input }, tokens.bank))).toBe("PAYMENT_ALREADY_RECORDED");
    });

    test("payInvoice: from the prepaid balance under the consumer's mandate; the bank's key signs the debit", async () => {
      const { consumer, invoiceId, total } = takeInvoice();
      const token = await consumerToken(consumer.chainAddress);
      const accountId = String(consumer.accountId);
      const bank = actions.accounts.bank.address;
      expect(code(await gw.graphql(PAY, { invoiceId: String(invoiceId) }, token))).toBe("NO_DEBIT_MANDATE");
      expect(
        code(
          await gw.graphql(
            MANDATE,
            { accountId, source: actions.accounts.retailCompanyA.address, limit: "1000" },
            token,
          ),
        ),
      ).toBe("UNKNOWN_PAYMENT_SOURCE");
      expect(code(await gw.graphql(MANDATE, { accountId, source: "0x12", limit: "1000" }, token))).toBe(
        "INVALID_ADDRESS",
      );
      expect(code(await gw.graphql(MANDATE, { accountId, source: bank, limit: "1000" }, tokens.bank))).toBe(
        "FORBIDDEN",
      );
      const mandate = ok(
        await gw.graphql(MANDATE, { accountId, source: bank, limit: String(total) }, token),
        "setDebitMandate",
      );
      expect(mandate.sender).toBe(consumer.chainAddress);
      const prepaid = String(20_000 + nextInvoice);
      ok(
        await gw.graphql(
          RECORD_PREPAYMENT,
          { input: { accountId, amount: String(total), paymentNumber: prepaid, externalRef: "аванс" } },
          tokens.bank,
        ),
        "recordPrepayment",
      );
      expect(
        code(await gw.graphql(PAY, { invoiceId: String(invoiceId), amount: String(total + 1n) }, token)),
      ).toBe("MANDATE_LIMIT_EXCEEDED");
      const other = await consumerToken(
        actions.consumers.find((c) => c.accountId !== consumer.accountId)!.chainAddress,
      );
      expect(code(await gw.graphql(PAY, { invoiceId: String(invoiceId) }, other))).toBe("FORBIDDEN");
      expect(code(await gw.graphql(PAY, { invoiceId: String(invoiceId) }, tokens.retailA))).toBe("FORBIDDEN");
      const paid = ok(await gw.graphql(PAY, { invoiceId: String(invoiceId) }, token), "payInvoice");
      expect(paid).toMatchObject({
        sender: bank,
        source: bank,
        amount: String(total),
        applied: String(total),
      });
      const row = await gw.database
        .em()
        .fork()
        .findOne(Payment, { txHash: paid.transactionHash as string });
      expect(row).not.toBeNull();
      expect(
        await actions.read<bigint>("Settlement", settlementAbi, "creditBalance", [consumer.accountId]),
      ).toBe(0n);
      expect(code(await gw.graphql(PAY, { invoiceId: String(invoiceId) }, token))).toBe("NOTHING_TO_PAY");
    });
  });

  describe("company profile (F-GRID-09)", () => {
    const profile = {
      name: "ООО «Северная сбытовая компания»",
      directorName: "Петров Пётр Петрович",
      phone: "+7 (812) 555-01-02",
      email: "office@example.ru",
      legalAddress: "г. Санкт-Петербург, ул. Садовая, д. 1",
      inn: "7707083893",
      kpp: "773601001",
      ogrn: "1027700132195",
      bankName: "ПАО Сбербанк",
      bik: "044525225",
      settlementAccount: "40702810938000012345",
      correspondentAccount: "30101810400000000225",
    };

    test("stored off chain, hash anchored in the Registry, the version signed by the organisation's own key", async () => {
      const retail = actions.accounts.retailCompanyA.address;
      const result = ok(
        await gw.graphql(PROFILE, { input: profile }, tokens.retailA),
        "updateCompanyProfile",
      );
      const onChain = await actions.read<{ profileHash: Hex; profileId: Hex }>(
        "Registry",
        registryAbi,
        "getOrganisation",
        [retail],
      );
      expect(onChain.profileHash).toBe(result.profileHash);
      expect(onChain.profileId).toBe(toHex("7707083893", { size: 32 }));
      const signer = await recoverTypedDataAddress({
        domain: {
          name: "GridLedger",
          version: "1",
          chainId: actions.deployment.chainId,
          verifyingContract: actions.deployment.contracts.Registry as Address,
        },
        types: COMPANY_PROFILE_TYPES,
        primaryType: "CompanyProfile",
        message: { organisation: retail.toLowerCase() as Address, profileHash: result.profileHash as Hex },
        signature: result.organisationSignature as Hex,
      });
      expect(signer).toBe(retail);
      const em = gw.database.em().fork();
      expect(await em.findOne(OrganisationProfile, { address: retail.toLowerCase() })).toMatchObject({
        name: profile.name,
        bik: profile.bik,
      });
      const body = await em.findOne(DocumentBody, { hash: result.profileHash as string });
      expect(keccak256(toHex(body!.body))).toBe(result.profileHash);
    });

    test("bad details are refused with their code and the stored card stays as it was; consumers may not edit", async () => {
      const retail = actions.accounts.retailCompanyB.address;
      ok(
        await gw.graphql(PROFILE, { input: { ...profile, name: "ООО «Южная»" } }, tokens.retailB),
        "updateCompanyProfile",
      );
      const before = await actions.read<{ profileHash: Hex }>("Registry", registryAbi, "getOrganisation", [
        retail,
      ]);
      expect(
        code(await gw.graphql(PROFILE, { input: { ...profile, inn: "7707083894" } }, tokens.retailB)),
      ).toBe("INVALID_INN");
      expect(
        code(
          await gw.graphql(
            PROFILE,
            { input: { ...profile, settlementAccount: "40702810938000012346" } },
            tokens.retailB,
          ),
        ),
      ).toBe("INVALID_SETTLEMENT_ACCOUNT");
      expect(
        code(await gw.graphql(PROFILE, { input: { ...profile, phone: "call me" } }, tokens.retailB)),
      ).toBe("INVALID_PHONE");
      expect(code(await gw.graphql(PROFILE, { input: { ...profile, name: " " } }, tokens.retailB))).toBe(
        "MISSING_FIELD",
      );
      const consumer = await consumerToken(actions.consumers[0]!.chainAddress);
      expect(code(await gw.graphql(PROFILE, { input: profile }, consumer))).toBe("FORBIDDEN");
      const unregistered = await gw.login(
        staff("RETAIL_COMPANY", privateKeyToAccount(keccak256(toHex("not registered"))).address),
      );
      expect(code(await gw.graphql(PROFILE, { input: profile }, unregistered))).toBe("UNKNOWN_ORGANISATION");
      expect(
        (await actions.read<{ profileHash: Hex }>("Registry", registryAbi, "getOrganisation", [retail]))
          .profileHash,
      ).toBe(before.profileHash);
      const card = await gw.database
        .em()
        .fork()
        .findOne(OrganisationProfile, { address: retail.toLowerCase() });
      expect(card?.name).toBe("ООО «Южная»");
    });
  });

  describe("transaction(hash)", () => {
    test("decodes the call and events of an action and verifies them against the index", async () => {
      const created = ok(
        await gw.graphql(
          CREATE_GROUP,
          { input: { name: "Для проверки", consumerType: "HOUSEHOLD", priceCategory: 0 } },
          tokens.retailA,
        ),
        "createTariffGroup",
      );
      const answer = await gw.graphql(TRANSACTION, { hash: created.transactionHash }, tokens.retailA);
      expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
      const details = answer.data!.transaction as Record<string, unknown> & {
        events: Record<string, unknown>[];
        call: Record<string, string>;
      };
      expect(details).toMatchObject({
        hash: created.transactionHash,
        blockNumber: created.blockNumber,
        from: actions.accounts.retailCompanyA.address.toLowerCase(),
        status: "SUCCESS",
        verified: true,
        verification: { receiptFound: true, blockMatches: true, logsMatch: true, problems: [] },
      });
      expect(details.call).toMatchObject({ contract: "Tariffs", functionName: "createGroup" });
      expect(JSON.parse(details.call.argsJson!)).toMatchObject({ consumerType: 1, priceCategory: 0 });
      expect(details.events.map((event) => event.eventName)).toEqual(["TariffGroupCreated"]);
      expect(JSON.parse(details.events[0]!.argsJson as string)).toMatchObject({ groupId: created.groupId });
    });

    test("every row type's hash verifies: a relayed reading batch, an invoice, a payment of the demo", async () => {
      const em = gw.database.em().fork();
      const hashes = [
        (await em.findOneOrFail(Reading, { blockNumber: { $gt: 0 } }, { orderBy: { blockNumber: "asc" } }))
          .txHash,
        (await em.findOneOrFail(Invoice, { blockNumber: { $gt: 0 } }, { orderBy: { blockNumber: "asc" } }))
          .txHash,
        (await em.findOneOrFail(Payment, { blockNumber: { $gt: 0 } }, { orderBy: { blockNumber: "asc" } }))
          .txHash,
      ];
      for (const hash of hashes) {
        const answer = await gw.graphql(TRANSACTION, { hash }, tokens.operator);
        expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
        expect((answer.data!.transaction as { verified: boolean }).verified).toBe(true);
      }
    });

    test("an index row altered after the fact makes verified false and names the log", async () => {
      const created = ok(
        await gw.graphql(
          CREATE_GROUP,
          { input: { name: "Подделка", consumerType: "HOUSEHOLD", priceCategory: 0 } },
          tokens.retailA,
        ),
        "createTariffGroup",
      );
      const em = gw.database.em().fork();
      const row = await em.findOneOrFail(ChainEvent, { txHash: created.transactionHash as string });
      await em.nativeUpdate(
        ChainEvent,
        { blockNumber: row.blockNumber, logIndex: row.logIndex },
        { args: { ...row.args, name: "подделано" } },
      );
      const details = (await gw.graphql(TRANSACTION, { hash: created.transactionHash }, tokens.operator))
        .data!.transaction as {
        verified: boolean;
        verification: { logsMatch: boolean; problems: string[] };
      };
      expect(details.verified).toBe(false);
      expect(details.verification.logsMatch).toBe(false);
      expect(details.verification.problems.join(" ")).toContain(`log ${row.logIndex}`);
    });

    test("scope: a consumer sees their own transactions, not another company's; unknown and malformed hashes have codes", async () => {
      const { consumer, invoiceId } = takeInvoice();
      const token = await consumerToken(consumer.chainAddress);
      const confirmed = ok(
        await gw.graphql(CONFIRM, { invoiceId: String(invoiceId) }, token),
        "confirmInvoice",
      );
      expect(
        (await gw.graphql(TRANSACTION, { hash: confirmed.transactionHash }, token)).data?.transaction,
      ).toMatchObject({ verified: true });
      const foreign = ok(
        await gw.graphql(
          CREATE_GROUP,
          { input: { name: "Чужая", consumerType: "HOUSEHOLD", priceCategory: 0 } },
          tokens.retailB,
        ),
        "createTariffGroup",
      );
      expect(code(await gw.graphql(TRANSACTION, { hash: foreign.transactionHash }, token))).toBe("FORBIDDEN");
      expect(code(await gw.graphql(TRANSACTION, { hash: foreign.transactionHash }, tokens.retailA))).toBe(
        "FORBIDDEN",
      );
      expect(code(await gw.graphql(TRANSACTION, { hash: confirmed.transactionHash }, tokens.retailA))).toBe(
        consumer.retail === "A" ? undefined : "FORBIDDEN",
      );
      expect(code(await gw.graphql(TRANSACTION, { hash: `0x${"ab".repeat(32)}` }, tokens.operator))).toBe(
        "NOT_FOUND",
      );
      expect(code(await gw.graphql(TRANSACTION, { hash: "0x1234" }, tokens.operator))).toBe("INVALID_HASH");
    });
  });
});

/**
 * Portal query latency at scale: `npm run bench:queries --workspace gateway [-- --rows 10000000]`.
 *
 * Fills a scratch MariaDB database (migrated with the gateway's migrations) with synthetic rows —
 * `rows` readings over 100 half-hours per meter, one account per meter, five retail companies — using
 * MariaDB's sequence engine, then times the portal's filtered, paginated readings queries (50 rows,
 * newest first, through `db/queries/readingsPage.ts`) and the meters/accounts lists. Figures, not assertions.
 */
import { dropMysqlDatabase, openDatabase } from "../src/db/openDatabase.js";
import { type ReadingsCursor, type ReadingsFilter, readingsPage } from "../src/db/queries/readingsPage.js";

const index = process.argv.indexOf("--rows");
const ROWS = index >= 0 ? Number(process.argv[index + 1]) : 10_000_000;
const PER_METER = 100;
const METERS = Math.ceil(ROWS / PER_METER);
const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z
const base = process.env.GRIDLEDGER_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";
const url = base.replace(/\/[^/]*$/, `/gl_queries_${process.pid}`);
const db = await openDatabase({ url });
const connection = db.orm.em.getConnection();
const run = (sql: string) => connection.execute(sql);
const tx = `'0x${"ab".repeat(32)}'`;
try {
  let started = performance.now();
  await run(`insert into meters select seq + 1, '0x${"11".repeat(20)}', 1, seq + 1, 2 + seq mod 5, 1, 3, 1, 1, 0, 1, 0, 0,
    concat('SN-', lpad(seq + 1, 8, '0')), '0x', if(seq mod 3 = 0, 'CE308', 'Mercury 234'), '0x', '0x', null, null, 0, null,
    1, ${tx}, 0, 1, ${tx}, 0 from seq_0_to_${METERS - 1}`);
  await run(`insert into accounts select seq + 1, concat('LS-', lpad(seq + 1, 8, '0')), '0x', '0x${"22".repeat(20)}', seq + 1, 1, 0, 1,
    '0x${"33".repeat(20)}', 2 + seq mod 5, '0x${"11".repeat(20)}', 1, concat('site-', seq mod 200), '0x',
    concat('Lenina ', seq mod 5000, ', flat ', seq div 5000), '0x', null, null, null, 0, 1, ${tx}, 0, 1, ${tx}, 0
    from seq_0_to_${METERS - 1}`);
  await run(`insert into readings select seq div ${PER_METER} + 1, ${T0} + (seq mod ${PER_METER}) * 1800, 0, 7, 0,
    seq * 10, seq * 5, seq, null, null, seq div ${PER_METER} + 1, 2 + (seq div ${PER_METER}) mod 5, 1 + seq div 500, ${tx}, seq mod 500
    from seq_0_to_${ROWS - 1}`);
  await run("analyze table readings, meters, accounts");
  process.stdout.write(
    `filled ${ROWS} readings, ${METERS} meters and accounts in ${((performance.now() - started) / 1000).toFixed(1)} s\n\n`,
  );

  const from = T0 + 20 * 1800;
  const to = T0 + 80 * 1800;
  const em = db.em();
  const page = (filter: ReadingsFilter, after?: ReadingsCursor) =>
    readingsPage(em, db.dialect, { filter, limit: 50, after });
  const meterIdsWhere = async (sql: string) =>
    ((await run(sql)) as { id: number }[]).map((row) => Number(row.id));
  const queries: [string, () => Promise<unknown>][] = [
    ["readings, date range (grid company)", () => page({ from, to })],
    [
      "readings, date range, deep keyset page",
      () => page({ from, to }, { intervalEnd: T0 + 50 * 1800, meterId: 50_000 }),
    ],
    ["readings, retail company + date range", () => page({ retailCompanyId: 4, from, to })],
    [
      "readings, account number + date range",
      async () =>
        page({
          meterIds: await meterIdsWhere(
            "select meter_id as id from accounts where account_number = 'LS-00054321'",
          ),
          from,
          to,
        }),
    ],
    [
      "readings, meter serial + date range",
      async () =>
        page({
          meterIds: await meterIdsWhere("select id from meters where serial = 'SN-00012345'"),
          from,
          to,
        }),
    ],
    [
      "readings, installation address prefix + dates",
      async () =>
        page({
          meterIds: await meterIdsWhere(
            "select meter_id as id from accounts where address_ref like 'Lenina 4321,%' limit 1000",
          ),
          from,
          to,
        }),
    ],
    ["meters by model", () => run("select * from meters where model = 'CE308' order by serial limit 50")],
    [
      "accounts of a retail company by site",
      () =>
        run(
          "select * from accounts where retail_company_id = 3 and site_id = 'site-17' order by account_number limit 50",
        ),
    ],
    [
      "(for contrast) readings OFFSET 10000, no hint",
      () =>
        run(
          `select * from readings where interval_end between ${from} and ${to} order by interval_end desc limit 50 offset 10000`,
        ),
    ],
  ];
  for (const [name, query] of queries) {
    await query(); // warm
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      started = performance.now();
      await query();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    process.stdout.write(`${name.padEnd(48)} median ${times[2]!.toFixed(1)} ms\n`);
  }
} finally {
  await db.close();
  await dropMysqlDatabase(url);
}

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type IntervalReading, MAX_METERS_PER_BATCH, MAX_RECORDS_PER_BATCH } from "@gridledger/domain";
import Database from "better-sqlite3";

/**
 * The durable outbox: a local SQLite database (WAL, `synchronous=FULL`). Every reading is written
 * here before anything else happens to it, and leaves the pending set only when the gateway
 * confirms the transaction that carries it.
 *
 * Reading states: `pending` → `batched` (in an unconfirmed batch) → `confirmed`; or `quarantined`
 * (refused by the gateway for a reason that a retry cannot fix, or held back by the agent, e.g. a
 * register that went backwards). Nothing is ever deleted before it is confirmed.
 *
 * @dev It is an invariant that a reading belongs to at most one batch at a time, and that an
 * unconfirmed batch is re-sent with exactly the same content after a restart, so a crash between
 * "gateway accepted" and "outbox confirmed" produces a duplicate the chain ignores, never a new value.
 */
export type StoredReading = IntervalReading & { source: "boundary" | "profile"; readAtMs: number };

export type OutboxBatch = {
  id: number;
  readings: IntervalReading[];
  /** Signature stored with the domain it was made for; null until signed. */
  signature: `0x${string}` | null;
  domainKey: string | null;
  attempts: number;
};

export type MeterStateRow = {
  meterId: string;
  lastIntervalEnd: number | null;
  /** Raw register values (before rollover unwrapping) of the last accepted reading, decimal strings. */
  lastRaw: string[] | null;
  /** Rollover offsets per register, decimal strings. */
  offsets: string[] | null;
  serial: string | null;
  firmware: string | null;
  lastReadAt: number | null;
  lastError: string | null;
  lastValues: string | null;
  /** The register mask `lastRaw` and `offsets` belong to. */
  registerMask: number | null;
};

export type MeterEvent = {
  at: number;
  meterId: string | null;
  kind: string;
  severity: "info" | "warning" | "error";
  message: string;
};

export type OutboxCounts = { pending: number; batched: number; quarantined: number; confirmed: number };

export class Outbox {
  readonly db: Database.Database;
  private readonly statements;

  constructor(file: string, options: { readonly?: boolean } = {}) {
    if (file !== ":memory:" && !options.readonly) mkdirSync(dirname(file), { recursive: true, mode: 0o750 });
    this.db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
    if (!options.readonly) {
      this.db.pragma("journal_mode = WAL");
      // FULL: a committed transaction survives a power cut, not only a process crash.
      this.db.pragma("synchronous = FULL");
      this.migrate();
    }
    this.db.pragma("busy_timeout = 5000");
    this.statements = this.prepare();
  }

  private migrate(): void {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS readings (
        meter_id TEXT NOT NULL,
        interval_end INTEGER NOT NULL,
        register_mask INTEGER NOT NULL,
        status INTEGER NOT NULL,
        registers TEXT NOT NULL,
        source TEXT NOT NULL,
        read_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        batch_id INTEGER,
        reason TEXT,
        tx_hash TEXT,
        confirmed_at INTEGER,
        PRIMARY KEY (meter_id, interval_end)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS readings_pending ON readings(state, interval_end);
      CREATE INDEX IF NOT EXISTS readings_batch ON readings(batch_id);
      CREATE TABLE IF NOT EXISTS batches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at INTEGER NOT NULL,
        -- Send order: the oldest interval in the batch. Halves of a split batch keep their place
        -- ahead of younger batches, so each meter's readings reach the chain oldest first.
        sort_key INTEGER NOT NULL,
        signature TEXT,
        domain_key TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
      );
      CREATE TABLE IF NOT EXISTS meter_state (
        meter_id TEXT PRIMARY KEY,
        last_interval_end INTEGER,
        last_raw TEXT,
        offsets TEXT,
        serial TEXT,
        firmware TEXT,
        last_read_at INTEGER,
        last_error TEXT,
        last_values TEXT,
        register_mask INTEGER
      );
      CREATE TABLE IF NOT EXISTS events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        meter_id TEXT,
        kind TEXT NOT NULL,
        severity TEXT NOT NULL,
        message TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
  }

  private prepare() {
    const db = this.db;
    return {
      insertReading: db.prepare(
        `INSERT OR IGNORE INTO readings (meter_id, interval_end, register_mask, status, registers, source, read_at, state, reason)
         VALUES (@meterId, @intervalEnd, @registerMask, @status, @registers, @source, @readAt, @state, @reason)`,
      ),
      openBatch: db.prepare("SELECT * FROM batches ORDER BY sort_key, id LIMIT 1"),
      batchReadings: db.prepare(
        "SELECT meter_id, interval_end, register_mask, status, registers FROM readings WHERE batch_id = ? ORDER BY interval_end, meter_id",
      ),
      pendingReadings: db.prepare(
        "SELECT meter_id, interval_end, register_mask, status, registers FROM readings WHERE state = 'pending' ORDER BY interval_end, meter_id LIMIT ?",
      ),
      insertBatch: db.prepare("INSERT INTO batches (created_at, sort_key) VALUES (?, ?)"),
      assign: db.prepare(
        "UPDATE readings SET state = 'batched', batch_id = ? WHERE meter_id = ? AND interval_end = ?",
      ),
      sign: db.prepare("UPDATE batches SET signature = ?, domain_key = ? WHERE id = ?"),
      attempt: db.prepare("UPDATE batches SET attempts = attempts + 1, last_error = ? WHERE id = ?"),
      confirmReadings: db.prepare(
        "UPDATE readings SET state = 'confirmed', tx_hash = ?, confirmed_at = ?, batch_id = NULL WHERE batch_id = ?",
      ),
      deleteBatch: db.prepare("DELETE FROM batches WHERE id = ?"),
      quarantineBatch: db.prepare(
        "UPDATE readings SET state = 'quarantined', reason = ?, batch_id = NULL WHERE batch_id = ?",
      ),
      counts: db.prepare("SELECT state, COUNT(*) AS n FROM readings GROUP BY state"),
      getState: db.prepare("SELECT * FROM meter_state WHERE meter_id = ?"),
      allStates: db.prepare("SELECT * FROM meter_state ORDER BY meter_id"),
      upsertState: db.prepare(`
        INSERT INTO meter_state (meter_id, last_interval_end, last_raw, offsets, serial, firmware, last_read_at, last_error, last_values, register_mask)
        VALUES (@meterId, @lastIntervalEnd, @lastRaw, @offsets, @serial, @firmware, @lastReadAt, @lastError, @lastValues, @registerMask)
        ON CONFLICT(meter_id) DO UPDATE SET last_interval_end = excluded.last_interval_end, last_raw = excluded.last_raw,
          offsets = excluded.offsets, serial = excluded.serial, firmware = excluded.firmware, last_read_at = excluded.last_read_at,
          last_error = excluded.last_error, last_values = excluded.last_values, register_mask = excluded.register_mask`),
      setError: db.prepare(`
        INSERT INTO meter_state (meter_id, last_error) VALUES (?, ?)
        ON CONFLICT(meter_id) DO UPDATE SET last_error = excluded.last_error`),
      insertEvent: db.prepare(
        "INSERT INTO events (at, meter_id, kind, severity, message) VALUES (@at, @meterId, @kind, @severity, @message)",
      ),
      recentEvents: db.prepare(
        "SELECT at, meter_id AS meterId, kind, severity, message FROM events ORDER BY id DESC LIMIT ?",
      ),
      getKv: db.prepare("SELECT value FROM kv WHERE key = ?"),
      setKv: db.prepare(
        "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      ),
      prune: db.prepare("DELETE FROM readings WHERE state = 'confirmed' AND confirmed_at < ?"),
      requeue: db.prepare("UPDATE readings SET state = 'pending', reason = NULL WHERE state = 'quarantined'"),
      quarantined: db.prepare(
        "SELECT meter_id AS meterId, interval_end AS intervalEnd, reason FROM readings WHERE state = 'quarantined' ORDER BY interval_end LIMIT ?",
      ),
    };
  }

  /**
   * Stores a reading together with the meter's new state, in one transaction. Returns false when a
   * reading for this (meter, interval) already exists (the first one wins).
   */
  record(reading: StoredReading, state: MeterStateRow | undefined, quarantineReason?: string): boolean {
    return this.db.transaction(() => {
      const result = this.statements.insertReading.run({
        meterId: reading.meterId.toString(),
        intervalEnd: reading.intervalEnd,
        registerMask: reading.registerMask,
        status: reading.status,
        registers: JSON.stringify(reading.registers.map(String)),
        source: reading.source,
        readAt: reading.readAtMs,
        state: quarantineReason ? "quarantined" : "pending",
        reason: quarantineReason ?? null,
      });
      if (result.changes === 0) return false;
      if (state) this.saveState(state);
      return true;
    })();
  }

  saveState(state: MeterStateRow): void {
    this.statements.upsertState.run({
      ...state,
      lastRaw: state.lastRaw ? JSON.stringify(state.lastRaw) : null,
      offsets: state.offsets ? JSON.stringify(state.offsets) : null,
    });
  }

  setMeterError(meterId: string, error: string | null): void {
    this.statements.setError.run(meterId, error);
  }

  meterState(meterId: string): MeterStateRow | undefined {
    const row = this.statements.getState.get(meterId) as Record<string, unknown> | undefined;
    return row ? toState(row) : undefined;
  }

  meterStates(): MeterStateRow[] {
    return (this.statements.allStates.all() as Record<string, unknown>[]).map(toState);
  }

  /**
   * The batch to send next: the oldest unconfirmed batch if there is one (re-sent unchanged),
   * otherwise a new batch of the oldest pending readings. Undefined when there is nothing to send.
   */
  nextBatch(maxRecords = MAX_RECORDS_PER_BATCH): OutboxBatch | undefined {
    return this.db.transaction(() => {
      const open = this.statements.openBatch.get() as
        | { id: number; signature: string | null; domain_key: string | null; attempts: number }
        | undefined;
      if (open) {
        const readings = (this.statements.batchReadings.all(open.id) as RawReading[]).map(toReading);
        if (readings.length === 0) {
          this.statements.deleteBatch.run(open.id);
          return this.nextBatch(maxRecords);
        }
        return {
          id: open.id,
          readings,
          signature: open.signature as `0x${string}` | null,
          domainKey: open.domain_key,
          attempts: open.attempts,
        };
      }
      const rows = this.statements.pendingReadings.all(
        Math.min(maxRecords, MAX_RECORDS_PER_BATCH),
      ) as RawReading[];
      if (rows.length === 0) return undefined;
      const meters = new Set<string>();
      const chosen: RawReading[] = [];
      for (const row of rows) {
        if (!meters.has(row.meter_id) && meters.size >= MAX_METERS_PER_BATCH) continue;
        meters.add(row.meter_id);
        chosen.push(row);
      }
      return this.createBatch(chosen);
    })();
  }

  private createBatch(rows: RawReading[]): OutboxBatch {
    const sortKey = Math.min(...rows.map((row) => row.interval_end));
    const id = Number(this.statements.insertBatch.run(Date.now(), sortKey).lastInsertRowid);
    for (const row of rows) this.statements.assign.run(id, row.meter_id, row.interval_end);
    return { id, readings: rows.map(toReading), signature: null, domainKey: null, attempts: 0 };
  }

  storeSignature(batchId: number, signature: `0x${string}`, domainKey: string): void {
    this.statements.sign.run(signature, domainKey, batchId);
  }

  recordAttempt(batchId: number, error: string): void {
    this.statements.attempt.run(error, batchId);
  }

  /** The gateway confirmed the transaction: the batch's readings leave the outbox. */
  confirm(batchId: number, transactionHash: string, at = Date.now()): number {
    return this.db.transaction(() => {
      const changes = this.statements.confirmReadings.run(transactionHash, at, batchId).changes;
      this.statements.deleteBatch.run(batchId);
      this.statements.setKv.run("lastUpload", JSON.stringify({ at, transactionHash, readings: changes }));
      return changes;
    })();
  }

  /**
   * A non-retryable refusal: a batch of several readings is split in two (the older half is sent
   * first); a single reading is quarantined with the reason. Returns what happened.
   */
  splitOrQuarantine(batchId: number, reason: string): "split" | "quarantined" {
    return this.db.transaction(() => {
      const rows = this.statements.batchReadings.all(batchId) as RawReading[];
      if (rows.length > 1) {
        this.statements.deleteBatch.run(batchId);
        const half = Math.ceil(rows.length / 2);
        this.createBatch(rows.slice(0, half));
        this.createBatch(rows.slice(half));
        return "split" as const;
      }
      this.statements.quarantineBatch.run(reason, batchId);
      this.statements.deleteBatch.run(batchId);
      return "quarantined" as const;
    })();
  }

  /** Moves quarantined readings back to pending (after the operator fixed the cause). */
  requeueQuarantined(): number {
    return this.statements.requeue.run().changes;
  }

  quarantined(limit = 20): Array<{ meterId: string; intervalEnd: number; reason: string }> {
    return this.statements.quarantined.all(limit) as Array<{
      meterId: string;
      intervalEnd: number;
      reason: string;
    }>;
  }

  counts(): OutboxCounts {
    const counts: OutboxCounts = { pending: 0, batched: 0, quarantined: 0, confirmed: 0 };
    for (const row of this.statements.counts.all() as Array<{ state: keyof OutboxCounts; n: number }>)
      counts[row.state] = row.n;
    return counts;
  }

  addEvent(event: MeterEvent): void {
    this.statements.insertEvent.run(event);
  }

  recentEvents(limit = 20): MeterEvent[] {
    return this.statements.recentEvents.all(limit) as MeterEvent[];
  }

  getKv<T>(key: string): T | undefined {
    const row = this.statements.getKv.get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  setKv(key: string, value: unknown): void {
    this.statements.setKv.run(key, JSON.stringify(value));
  }

  /** Deletes confirmed readings older than `beforeMs` (they are on the chain). */
  pruneConfirmed(beforeMs: number): number {
    return this.statements.prune.run(beforeMs).changes;
  }

  close(): void {
    this.db.close();
  }
}

type RawReading = {
  meter_id: string;
  interval_end: number;
  register_mask: number;
  status: number;
  registers: string;
};

function toReading(row: RawReading): IntervalReading {
  return {
    meterId: BigInt(row.meter_id),
    intervalEnd: row.interval_end,
    registerMask: row.register_mask,
    status: row.status,
    registers: (JSON.parse(row.registers) as string[]).map((value) => BigInt(value)),
  };
}

function toState(row: Record<string, unknown>): MeterStateRow {
  return {
    meterId: row.meter_id as string,
    lastIntervalEnd: (row.last_interval_end as number | null) ?? null,
    lastRaw: row.last_raw ? (JSON.parse(row.last_raw as string) as string[]) : null,
    offsets: row.offsets ? (JSON.parse(row.offsets as string) as string[]) : null,
    serial: (row.serial as string | null) ?? null,
    firmware: (row.firmware as string | null) ?? null,
    lastReadAt: (row.last_read_at as number | null) ?? null,
    lastError: (row.last_error as string | null) ?? null,
    lastValues: (row.last_values as string | null) ?? null,
    registerMask: (row.register_mask as number | null) ?? null,
  };
}

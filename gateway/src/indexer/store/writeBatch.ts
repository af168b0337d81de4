import type { EntityManager, EntityMetadata, EntitySchema } from "@mikro-orm/core";

// biome-ignore lint/suspicious/noExplicitAny: rows of any entity schema.
type AnySchema = EntitySchema<any>;
type Row = Record<string, unknown>;

type Slot = { row: Row; isNew: boolean; dirty: boolean };
/** The knex transaction MikroORM keeps as transaction context. */
type RawRunner = { raw(sql: string, bindings?: unknown[]): Promise<unknown> & { toQuery(): string } };
/** Characters that need no escaping in an SQL string literal in SQLite or MySQL. */
const PLAIN = /^[A-Za-z0-9 _.,:+\-/#()@]*$/;

/**
 * The rows one range of logs produces, kept in memory until {@link WriteBatch.flush} writes them in
 * the caller's transaction. Append-only rows (readings, journal, lines, payments) are bulk-inserted;
 * mutable rows (meters, accounts, invoices…) live in an overlay keyed by primary key, so that several
 * events touching one row in the same range cost one write, and later events see earlier ones.
 *
 * @dev It is an invariant that handlers see the database as of the previous checkpoint plus every
 * earlier log of this batch: {@link load} reads the overlay first, then the database inside the same
 * transaction.
 */
export class WriteBatch {
  private readonly appended = new Map<AnySchema, Row[]>();
  private readonly overlay = new Map<AnySchema, Map<string, Slot>>();
  private readonly metadata = new Map<AnySchema, EntityMetadata>();
  /** Append-only rows to delete before anything is written: [entity, column, value]. */
  private readonly deletions: [AnySchema, string, unknown][] = [];
  /** Number of rows each entity got (inserted or changed), for progress figures. */
  readonly counts = new Map<string, number>();

  constructor(private readonly em: EntityManager) {}

  /** Queues an append-only row. */
  insert<T extends object>(entity: EntitySchema<T>, row: T): void {
    let rows = this.appended.get(entity as AnySchema);
    if (!rows) {
      rows = [];
      this.appended.set(entity as AnySchema, rows);
    }
    rows.push(row as Row);
  }

  /** Queues many append-only rows. */
  insertAll<T extends object>(entity: EntitySchema<T>, rows: T[]): void {
    let list = this.appended.get(entity as AnySchema);
    if (!list) {
      list = [];
      this.appended.set(entity as AnySchema, list);
    }
    for (const row of rows) list.push(row as Row);
  }

  /** Creates a mutable row; it must not exist (the insert fails the batch otherwise). */
  create<T extends object>(entity: EntitySchema<T>, row: T): T {
    const slots = this.slots(entity as AnySchema);
    const key = this.key(entity as AnySchema, row as Row);
    const existing = slots.get(key);
    if (existing && !existing.isNew) {
      // Loaded earlier in this batch: overwrite in place (written as an update).
      Object.assign(existing.row, row);
      existing.dirty = true;
      return existing.row as T;
    }
    const slot: Slot = { row: row as Row, isNew: true, dirty: true };
    slots.set(key, slot);
    return slot.row as T;
  }

  /** The current row for a primary key (overlay, then database), or undefined. */
  async load<T extends object>(entity: EntitySchema<T>, pk: Partial<T>): Promise<T | undefined> {
    const slots = this.slots(entity as AnySchema);
    const key = this.key(entity as AnySchema, pk as Row);
    const slot = slots.get(key);
    if (slot) return slot.row as T;
    const found = await this.em.findOne(entity as AnySchema, pk as never, { disableIdentityMap: true });
    if (!found) return undefined;
    const row = { ...(found as Row) };
    slots.set(key, { row, isNew: false, dirty: false });
    return row as T;
  }

  /** Loads many rows of one entity by a single-column key in one query (prefetch). */
  async prefetch<T extends object>(entity: EntitySchema<T>, column: keyof T & string, values: unknown[]) {
    const slots = this.slots(entity as AnySchema);
    const missing = [...new Set(values)].filter((value) => !slots.has(JSON.stringify([value])));
    for (let start = 0; start < missing.length; start += 1000) {
      const chunk = missing.slice(start, start + 1000);
      const found = await this.em.find(entity as AnySchema, { [column]: { $in: chunk } } as never, {
        disableIdentityMap: true,
      });
      for (const item of found) {
        const row = { ...(item as Row) };
        slots.set(this.key(entity as AnySchema, row), { row, isNew: false, dirty: false });
      }
    }
  }

  /**
   * Deletes the append-only rows of `entity` whose `column` equals `value`: those written earlier
   * (deleted first at {@link flush}) and those queued in this batch. For rows an event replaces as a
   * whole — an invoice computed again after its cancellation replaces its lines.
   */
  deleteWhere<T extends object>(entity: EntitySchema<T>, column: keyof T & string, value: unknown): void {
    const rows = this.appended.get(entity as AnySchema);
    if (rows) {
      const kept = rows.filter((row) => row[column] !== value);
      this.appended.set(entity as AnySchema, kept);
    }
    this.deletions.push([entity as AnySchema, column, value]);
  }

  /** Changes a row; returns it, or undefined when there is no such row. */
  async update<T extends object>(
    entity: EntitySchema<T>,
    pk: Partial<T>,
    change: (row: T) => void,
  ): Promise<T | undefined> {
    const row = await this.load(entity, pk);
    if (!row) return undefined;
    change(row);
    const slot = this.slots(entity as AnySchema).get(this.key(entity as AnySchema, row as Row))!;
    slot.dirty = true;
    return row;
  }

  /** Writes everything queued through the entity manager (inside the caller's transaction). */
  async flush(): Promise<void> {
    for (const [entity, column, value] of this.deletions) {
      await this.em.nativeDelete(entity, { [column]: value } as never);
    }
    for (const [entity, rows] of this.appended) {
      await this.insertRows(entity, rows);
      this.count(entity, rows.length);
    }
    for (const [entity, slots] of this.overlay) {
      const inserts: Row[] = [];
      const meta = this.meta(entity);
      let changed = 0;
      for (const slot of slots.values()) {
        if (!slot.dirty) continue;
        changed++;
        if (slot.isNew) {
          inserts.push(slot.row);
          continue;
        }
        const where: Row = {};
        const data: Row = {};
        for (const [name, value] of Object.entries(slot.row)) {
          if (meta.primaryKeys.includes(name)) where[name] = value;
          else if (meta.properties[name]) data[name] = value;
        }
        await this.em.nativeUpdate(entity, where as never, data as never);
      }
      await this.insertRows(entity, inserts);
      this.count(entity, changed);
    }
  }

  /** Total rows queued for one entity (appended and new). */
  queued(entity: AnySchema): number {
    return (this.appended.get(entity)?.length ?? 0) + (this.overlay.get(entity)?.size ?? 0);
  }

  /**
   * Multi-row INSERT statements with the values written as SQL literals, run on the caller's
   * transaction. About 3x faster than `em.insertMany` on SQLite and 2x on MariaDB (parameter binding
   * and per-row object mapping dominate there). Numbers must be finite, booleans become 1/0, strings
   * of plain characters (hashes, addresses, ids) are quoted as they are, and anything else (free text,
   * JSON) is escaped by the driver's own quoting (knex `raw("?", [value]).toQuery()`).
   */
  private async insertRows(entity: AnySchema, rows: Row[]) {
    if (rows.length === 0) return;
    const meta = this.meta(entity);
    const trx = this.em.getTransactionContext() as RawRunner | undefined;
    if (!trx) throw new Error("WriteBatch.flush() must run inside a transaction");
    const columns = meta.props.filter((prop) => prop.persist !== false && prop.fieldNames?.length === 1);
    const head = `insert into \`${meta.tableName}\` (${columns.map((prop) => `\`${prop.fieldNames[0]}\``).join(", ")}) values `;
    const quote = (value: unknown): string => {
      if (value === null || value === undefined) return "null";
      if (typeof value === "number") {
        if (!Number.isFinite(value)) throw new Error(`Non-finite number for ${meta.tableName}`);
        return String(value);
      }
      if (typeof value === "boolean") return value ? "1" : "0";
      const text = typeof value === "string" ? value : JSON.stringify(value);
      if (PLAIN.test(text)) return `'${text}'`;
      return trx.raw("?", [text]).toQuery();
    };
    const perStatement = 2000;
    for (let start = 0; start < rows.length; start += perStatement) {
      const end = Math.min(rows.length, start + perStatement);
      const tuples: string[] = new Array(end - start);
      for (let index = start; index < end; index++) {
        const row = rows[index]!;
        let tuple = "(";
        for (let column = 0; column < columns.length; column++) {
          if (column > 0) tuple += ",";
          tuple += quote(row[columns[column]!.name]);
        }
        tuples[index - start] = `${tuple})`;
      }
      await trx.raw(head + tuples.join(","));
    }
  }

  private count(entity: AnySchema, n: number) {
    if (n === 0) return;
    const name = entity.meta.className;
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
  }

  private slots(entity: AnySchema): Map<string, Slot> {
    let slots = this.overlay.get(entity);
    if (!slots) {
      slots = new Map();
      this.overlay.set(entity, slots);
    }
    return slots;
  }

  private meta(entity: AnySchema): EntityMetadata {
    let meta = this.metadata.get(entity);
    if (!meta) {
      meta = this.em.getMetadata().get(entity.meta.className);
      this.metadata.set(entity, meta);
    }
    return meta;
  }

  private key(entity: AnySchema, row: Row): string {
    return JSON.stringify(this.meta(entity).primaryKeys.map((name) => row[name]));
  }
}

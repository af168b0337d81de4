import type { EntityManager } from "@mikro-orm/core";
import { Account, Meter } from "../../db/entities/index.js";
import { NonRetryableError } from "../../internal/errors.js";
import { accountsMatching } from "../common/accountsMatching.js";
import { cleanFilter, prefixRange } from "../common/textFilters.js";
import type { AccountScope } from "../scope.js";
import type { ReadingFilter } from "./readings.input.js";

/** A text filter may select at most this many meters; beyond it the caller narrows the filter. */
export const MAX_METERS_PER_FILTER = 5000;

export type ReadingConditions = {
  /** ORM condition on the readings table. */
  where: Record<string, unknown>;
  /** Nothing can match (e.g. an account number that exists nowhere in scope). */
  empty: boolean;
};

/**
 * Turns the caller's scope and filter into a condition on `readings`. Text filters resolve to meter
 * ids first (through the accounts and meters indexes), so the readings table is only ever read by
 * its primary key or its (retail company, interval end) index.
 */
export async function readingConditions(
  em: EntityManager,
  scope: AccountScope,
  filter: ReadingFilter | undefined,
): Promise<ReadingConditions> {
  const where: Record<string, unknown> = {};
  let meterIds: Set<number> | undefined;
  const narrow = (ids: number[]) => {
    meterIds = meterIds ? new Set(ids.filter((id) => meterIds!.has(id))) : new Set(ids);
  };

  switch (scope.kind) {
    case "retailCompany":
      where.retailCompanyId = scope.organisationId ?? -1;
      break;
    case "consumer": {
      const accounts = await em.find(Account, { consumer: scope.address }, { fields: ["id"] });
      where.accountId = { $in: accounts.map((account) => account.id) };
      break;
    }
    case "gridCompany": {
      const foreign = await em.count(Meter, { gridCompany: { $ne: scope.address } });
      if (foreign > 0) {
        const own = await em.find(
          Meter,
          { gridCompany: scope.address },
          { fields: ["id"], limit: MAX_METERS_PER_FILTER + 1 },
        );
        if (own.length > MAX_METERS_PER_FILTER) throw tooBroad();
        narrow(own.map((meter) => meter.id));
      }
      break;
    }
    case "all":
      break;
  }

  const accountMeters = await accountsMatching(em, filter, "meterId");
  if (accountMeters) narrow(accountMeters);
  const serial = cleanFilter(filter?.meterSerial);
  if (serial) {
    const meters = await em.find(
      Meter,
      { serial: prefixRange(serial.toUpperCase()) },
      { fields: ["id"], limit: MAX_METERS_PER_FILTER + 1 },
    );
    if (meters.length > MAX_METERS_PER_FILTER) throw tooBroad();
    narrow(meters.map((meter) => meter.id));
  }
  if (filter?.meterId) narrow([Number(filter.meterId)]);
  if (filter?.accountId) {
    // the caller checked the account is in scope; its meter's primary-key range is what is read
    const account = await em.findOne(Account, { id: Number(filter.accountId) }, { fields: ["meterId"] });
    narrow(account ? [account.meterId] : []);
    where.accountId = Number(filter.accountId);
  }
  if (meterIds) where.meterId = { $in: [...meterIds] };

  // An interval [end − 30 min, end] is in the range when it lies inside [from, to].
  const range: Record<string, number> = {};
  if (filter?.from) range.$gt = toSeconds(filter.from, "from");
  if (filter?.to) range.$lte = toSeconds(filter.to, "to");
  if (range.$gt !== undefined && range.$lte !== undefined && range.$gt >= range.$lte) {
    throw new NonRetryableError("The date range is empty: from must be before to", {
      code: "BAD_USER_INPUT",
    });
  }
  if (Object.keys(range).length > 0) where.intervalEnd = range;
  return { where, empty: meterIds?.size === 0 };
}

function toSeconds(iso: string, name: string): number {
  const milliseconds = Date.parse(iso);
  if (Number.isNaN(milliseconds))
    throw new NonRetryableError(`Invalid ${name} date "${iso}"`, { code: "BAD_USER_INPUT" });
  return Math.floor(milliseconds / 1000);
}

function tooBroad(): NonRetryableError {
  return new NonRetryableError(`The filter matches more than ${MAX_METERS_PER_FILTER} meters`, {
    code: "FILTER_TOO_BROAD",
    details: "add characters to the account number, serial or address, or a narrower date range",
  });
}

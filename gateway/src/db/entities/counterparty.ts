import { EntitySchema } from "@mikro-orm/core";

/**
 * A counterparty in an organisation's list (F-GRID-04): the gateway's own data, not chain-derived,
 * so `reindex` keeps it. `owner` is the chain address of the organisation whose list it is; the bank
 * details are validated when added (graphql/counterparties/bankDetails.ts).
 */
export interface CounterpartyRow {
  id: number;
  /** Lower-case chain address of the organisation that owns the list. */
  owner: string;
  name: string;
  /** ИНН, 10 digits (organisation) or 12 (person), control digits checked. */
  inn: string;
  /** КПП, 9 characters; null for individuals. */
  kpp: string | null;
  bankName: string;
  /** БИК, 9 digits. */
  bik: string;
  /** Расчётный счёт, 20 digits, control key checked against the BIK. */
  settlementAccount: string;
  /** Корреспондентский счёт, 20 digits starting 301, control key checked. */
  correspondentAccount: string;
  address: string;
  phone: string | null;
  createdAt: number;
  /** The user who added it. */
  createdBy: number;
}

export const Counterparty = new EntitySchema<CounterpartyRow>({
  name: "Counterparty",
  tableName: "counterparties",
  properties: {
    id: { type: "integer", primary: true, autoincrement: true },
    owner: { type: "string", length: 42 },
    name: { type: "string", length: 200 },
    inn: { type: "string", length: 12 },
    kpp: { type: "string", length: 9, nullable: true },
    bankName: { type: "string", length: 200 },
    bik: { type: "string", length: 9 },
    settlementAccount: { type: "string", length: 20 },
    correspondentAccount: { type: "string", length: 20 },
    address: { type: "string", length: 300 },
    phone: { type: "string", length: 40, nullable: true },
    createdAt: { type: "integer" },
    createdBy: { type: "integer" },
  },
  indexes: [{ properties: ["owner", "name"] }, { properties: ["owner", "inn"] }],
});

import { EntitySchema } from "@mikro-orm/core";

/**
 * An organisation's card (F-GRID-03, F-GRID-09): name, director, contacts, legal address and bank
 * details. The gateway's own data beside the chain's `Organisation` row (whose `profileHash` may
 * anchor a hash of it); `reindex` keeps it. Every field but the address is optional: a card is
 * filled in over time.
 */
export interface OrganisationProfileRow {
  /** Lower-case chain address of the organisation. */
  address: string;
  name: string | null;
  directorName: string | null;
  phone: string | null;
  email: string | null;
  legalAddress: string | null;
  inn: string | null;
  kpp: string | null;
  ogrn: string | null;
  bankName: string | null;
  bik: string | null;
  settlementAccount: string | null;
  correspondentAccount: string | null;
  updatedAt: number;
  /** The user who last changed it. */
  updatedBy: number | null;
}

export const OrganisationProfile = new EntitySchema<OrganisationProfileRow>({
  name: "OrganisationProfile",
  tableName: "organisation_profiles",
  properties: {
    address: { type: "string", length: 42, primary: true },
    name: { type: "string", length: 200, nullable: true },
    directorName: { type: "string", length: 200, nullable: true },
    phone: { type: "string", length: 40, nullable: true },
    email: { type: "string", length: 200, nullable: true },
    legalAddress: { type: "string", length: 300, nullable: true },
    inn: { type: "string", length: 12, nullable: true },
    kpp: { type: "string", length: 9, nullable: true },
    ogrn: { type: "string", length: 15, nullable: true },
    bankName: { type: "string", length: 200, nullable: true },
    bik: { type: "string", length: 9, nullable: true },
    settlementAccount: { type: "string", length: 20, nullable: true },
    correspondentAccount: { type: "string", length: 20, nullable: true },
    updatedAt: { type: "integer" },
    updatedBy: { type: "integer", nullable: true },
  },
});

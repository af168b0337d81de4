/**
 * What an API key may do. Each REST route needs exactly one scope; the key's principal (its
 * organisation's role and address) then limits the rows as it does for a signed-in user.
 */
export const API_KEY_SCOPES = {
  "readings:read": "query half-hour readings and consumption series",
  "readings:write": "submit device-signed reading batches",
  "accounts:read": "query consumer accounts",
  "meters:read": "query meters and their state",
  "invoices:read": "pull invoices",
  "invoices:write": "confirm or dispute invoices",
  "payments:read": "query payments and payment totals",
  "payments:write": "record payments (banks and other payment sources)",
  "tariffs:read": "query tariff groups and plans",
  "tariffs:write": "publish tariff plans",
  "organisations:read": "query organisations and counterparties",
  "organisations:write": "add counterparties, update the organisation's card",
  "transactions:read": "verify a transaction against the ledger",
  "webhooks:manage": "subscribe to events, see and replay deliveries",
} as const;

export type ApiKeyScope = keyof typeof API_KEY_SCOPES;

export const API_KEY_SCOPE_NAMES = Object.keys(API_KEY_SCOPES) as ApiKeyScope[];

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return Object.hasOwn(API_KEY_SCOPES, value);
}

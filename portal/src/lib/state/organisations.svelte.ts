import { ORGANISATIONS, type Organisation, type Page } from "$lib/api/queries";
import { shortHex } from "$lib/format";
import { session } from "./session.svelte";

export type KnownCompany = { address: string; name: string };

/**
 * Retail companies the portal knows by name, for filter choices and headings. Filled from what the
 * screens load (accounts, organisations); an unknown address is shown shortened.
 */
class RetailCompanies {
  list: KnownCompany[] = $state([]);
  /** Names of every organisation loaded (payment sources too), by lower-case address. */
  names: Record<string, string> = $state({});

  /** Adds or renames companies (a name wins over a bare address). */
  add(companies: readonly { address: string; name?: string | null | undefined }[]) {
    let next = this.list;
    for (const company of companies) {
      const address = company.address.toLowerCase();
      const name = company.name || shortHex(address);
      const at = next.findIndex((known) => known.address === address);
      if (at === -1) next = [...next, { address, name }];
      else if (company.name && next[at]!.name !== company.name)
        next = next.map((known, index) => (index === at ? { address, name } : known));
    }
    if (next !== this.list) this.list = next.sort((a, b) => a.name.localeCompare(b.name));
  }

  #loaded: Promise<void> | undefined;

  /** Loads the organisations the signed-in user may see, once per page load (names for filters and cells). */
  load(): Promise<void> {
    this.#loaded ??= session
      .request<{ organisations: Page<Organisation> }>(ORGANISATIONS, {
        filter: { kind: "RETAIL_COMPANY" },
        page: 1,
        size: 200,
      })
      .then((data) =>
        this.add(
          data.organisations.nodes.map((company) => ({
            address: company.address,
            name: company.profile?.name,
          })),
        ),
      )
      .catch(() => {
        // the names are a convenience: the filters still work with addresses
        this.#loaded = undefined;
      });
    return this.#loaded;
  }

  nameOf(address: string): string {
    return (
      this.names[address.toLowerCase()] ??
      this.list.find((known) => known.address === address.toLowerCase())?.name ??
      shortHex(address)
    );
  }
}

export const retailCompanies = new RetailCompanies();

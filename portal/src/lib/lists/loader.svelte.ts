import { isAbort } from "$lib/errors";

/**
 * One request at a time for a screen: a newer request aborts the older one, so a slow answer never
 * overwrites a newer one. Keeps the last answer while the next loads (the table stays, marked busy).
 */
export class Loader<Data> {
  data: Data | undefined = $state();
  loading = $state(false);
  failure: unknown = $state();
  #controller: AbortController | undefined;

  /** Runs `request`; a failure is kept in `failure` (in words on the page), never thrown. */
  async run(
    request: (signal: AbortSignal) => Promise<Data>,
    options: { keep?: boolean } = {},
  ): Promise<void> {
    this.#controller?.abort();
    const mine = new AbortController();
    this.#controller = mine;
    this.loading = true;
    this.failure = undefined;
    if (options.keep === false) this.data = undefined;
    try {
      const data = await request(mine.signal);
      if (this.#controller !== mine) return;
      this.data = data;
    } catch (error) {
      if (isAbort(error) || this.#controller !== mine) return;
      this.failure = error;
      this.data = undefined;
    } finally {
      if (this.#controller === mine) this.loading = false;
    }
  }

  abort() {
    this.#controller?.abort();
  }
}

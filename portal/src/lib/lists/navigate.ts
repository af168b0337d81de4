import { goto } from "$app/navigation";
import { type Codecs, writeParams } from "./urlState";

/**
 * Puts a list's state in the URL of the current page (a new history entry, so the back button
 * returns to the previous search); `keep` are parameters of the page itself that must survive
 * (e.g. an account page's tab).
 */
export function gotoState<State>(
  codecs: Codecs<State>,
  state: State,
  keep: Record<string, string> = {},
): Promise<void> {
  const params = writeParams(codecs, state);
  for (const [name, value] of Object.entries(keep)) params.set(name, value);
  const query = params.toString();
  return goto(`${location.pathname}${query ? `?${query}` : ""}`, { keepFocus: true, noScroll: true });
}

/** Every page of a filtered list (200 rows a page, at most `maxPages`), for CSV export. */
export async function collectPages<Row>(
  fetchPage: (page: number) => Promise<{ nodes: Row[]; pageInfo: { hasNextPage: boolean } }>,
  maxPages = 100,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const answer = await fetchPage(page);
    rows.push(...answer.nodes);
    if (!answer.pageInfo.hasNextPage) break;
  }
  return rows;
}

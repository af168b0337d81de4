import { z } from "zod";
import { MAX_PAGE_SIZE } from "../graphql/common/pagination.js";

/**
 * Parameter shapes shared by the REST routes. Query strings and form bodies carry text, so numbers
 * are coerced; JSON bodies may send them as numbers. The GraphQL layer validates again (its
 * class-validator rules are the authority); these give a 400 naming the parameter first and
 * describe the parameters in the OpenAPI document.
 */
export const decimalId = (description: string) =>
  z
    .string()
    .regex(/^[1-9]\d{0,19}$/, "a decimal id from 1 to 2^64-1")
    .describe(description);

export const chainAddress = (description: string) =>
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, "a 0x-prefixed 20-byte hex address")
    .describe(description);

export const isoInstant = (description: string) =>
  z.iso
    .datetime({ offset: true })
    .describe(`${description}; ISO 8601 with offset, e.g. 2026-11-01T00:00:00+03:00`);

export const prefixText = (max: number, description: string) =>
  z.string().min(1).max(max).describe(`${description}; matches a prefix`);

export const integer = (min: number, max: number, description: string) =>
  z.coerce.number().int().min(min).max(max).describe(description);

/** `page`/`size` (numbered pages) or `first`/`after` (cursor pages), as in GraphQL; not both. */
export const pagingParameters = {
  page: integer(1, 1_000_000, "1-based page number").optional(),
  size: integer(1, MAX_PAGE_SIZE, `rows per page, 1-${MAX_PAGE_SIZE}; default 20`).optional(),
  first: integer(1, MAX_PAGE_SIZE, `rows per page when paging by cursor, 1-${MAX_PAGE_SIZE}`).optional(),
  after: z.string().max(64).describe("pageInfo.endCursor of the previous page").optional(),
};

export type PagingInput = { page?: number; size?: number; first?: number; after?: string };

/** Splits flat REST input into GraphQL paging arguments and the `filter` input object. */
export function pagedListVariables<Input extends PagingInput>(
  input: Input,
): Record<string, unknown> & { filter: Omit<Input, keyof PagingInput> } {
  const { page, size, first, after, ...filter } = input;
  return { page, size, first, after, filter };
}

export type SortInput = { sort?: string; direction?: "ASC" | "DESC" };

/** As {@link pagedListVariables}, with flat `sort`/`direction` turned into the GraphQL `sort` argument. */
export function sortedListVariables<Input extends PagingInput & SortInput>(
  input: Input,
): Record<string, unknown> & { filter: Omit<Omit<Input, keyof SortInput>, keyof PagingInput> } {
  const { sort, direction, ...rest } = input;
  return {
    ...pagedListVariables(rest),
    sort: sort ? { field: sort, direction: direction ?? "ASC" } : undefined,
  };
}

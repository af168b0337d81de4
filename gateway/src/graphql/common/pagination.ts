import { Max, Min } from "class-validator";
import { ArgsType, Field, Int } from "type-graphql";
import { NonRetryableError } from "../../internal/errors.js";

/** Largest page any list returns. */
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 20;

/**
 * Both ways the API pages: Relay (`first` + `after`) for programs, `page` + `size` for the portal's
 * numbered pages. They are one offset underneath; a cursor is the opaque offset of a row.
 */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Rows per page, 1-${MAX_PAGE_SIZE} (Relay)` })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, {
    nullable: true,
    description: "Cursor of the row after which the page starts (Relay)",
  })
  after?: string;

  @Field(() => Int, { nullable: true, description: "1-based page number (portal)" })
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @Field(() => Int, {
    nullable: true,
    description: `Rows per page, 1-${MAX_PAGE_SIZE} (portal). Default: ${DEFAULT_PAGE_SIZE}`,
  })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  size?: number;
}

export type PageWindow = { offset: number; limit: number };

export function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64url");
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, "base64url").toString();
  const match = /^offset:(\d{1,9})$/.exec(text);
  if (!match)
    throw new NonRetryableError(`Invalid cursor "${cursor.slice(0, 40)}"`, { code: "BAD_USER_INPUT" });
  return Number(match[1]);
}

/** The offset and limit a page request means; mixing the two styles is refused. */
export function resolvePage(args: PageArgs): PageWindow {
  const relay = args.first !== undefined || args.after !== undefined;
  const numbered = args.page !== undefined || args.size !== undefined;
  if (relay && numbered) {
    throw new NonRetryableError("Use either first/after or page/size, not both", { code: "BAD_USER_INPUT" });
  }
  if (relay)
    return { offset: args.after ? decodeCursor(args.after) + 1 : 0, limit: args.first ?? DEFAULT_PAGE_SIZE };
  const size = args.size ?? DEFAULT_PAGE_SIZE;
  return { offset: ((args.page ?? 1) - 1) * size, limit: size };
}

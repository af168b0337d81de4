import type { ClassType } from "type-graphql";
import { Field, Int, ObjectType } from "type-graphql";
import { encodeCursor, type PageWindow } from "./pagination.js";

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export type ConnectionShape<Node> = {
  edges: { cursor: string; node: Node }[];
  nodes: Node[];
  pageInfo: PageInfo;
  totalCount: number;
  page: number;
  size: number;
};

/** A Relay connection type for `Node` with total count and the portal's page/size (type-graphql's generic-type factory). */
export function Connection<Node extends object>(NodeClass: ClassType<Node>) {
  @ObjectType(`${NodeClass.name}Edge`)
  abstract class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => NodeClass)
    node!: Node;
  }

  @ObjectType()
  abstract class ConnectionClass {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => [NodeClass], { description: "The page's rows, without cursors" })
    nodes!: Node[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: "Rows matching the filter, over all pages" })
    totalCount!: number;

    @Field(() => Int, { description: "1-based number of this page" })
    page!: number;

    @Field(() => Int)
    size!: number;
  }
  return ConnectionClass;
}

/** Builds a connection from one page of rows and the total. */
export function toConnection<Node>(
  rows: Node[],
  totalCount: number,
  window: PageWindow,
): ConnectionShape<Node> {
  const edges = rows.map((node, index) => ({ cursor: encodeCursor(window.offset + index), node }));
  return {
    edges,
    nodes: rows,
    pageInfo: {
      hasNextPage: window.offset + rows.length < totalCount,
      hasPreviousPage: window.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
    page: Math.floor(window.offset / window.limit) + 1,
    size: window.limit,
  };
}

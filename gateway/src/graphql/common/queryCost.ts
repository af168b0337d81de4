import { createRequire } from "node:module";
import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type * as QueryComplexity from "graphql-query-complexity";
import { DEFAULT_PAGE_SIZE } from "./pagination.js";

// type-graphql builds the schema with graphql's CommonJS build; the ESM build of
// graphql-query-complexity would check it against graphql's ESM classes (a second "realm", where
// `instanceof` fails). Its CommonJS build shares type-graphql's graphql.
const { getComplexity } = createRequire(import.meta.url)(
  "graphql-query-complexity",
) as typeof QueryComplexity;

/** Highest cost an operation may have; the portal's heaviest screen (a 200-row account list with meters and cards) is ~1,400. */
export const MAX_QUERY_COST = 10_000;

/** Rows assumed for a list that takes no page size (invoice lines, a group's plans, a report row's payments). */
export const UNPAGED_LIST_ESTIMATE = 20;

/** A wrapped type as graphql-js shapes it, read by shape so it works across graphql's module builds. */
type TypeShape = { ofType?: TypeShape; name?: string; getFields?: unknown; toString(): string };

const namedOf = (type: TypeShape): TypeShape => (type.ofType ? namedOf(type.ofType) : type);
/** `[T]`, `[T]!` (graphql prints lists in brackets). */
const isList = (type: TypeShape): boolean => String(type).replace(/!$/, "").startsWith("[");
/** Scalars and enums have no fields. */
const isLeaf = (type: TypeShape): boolean => typeof type.getFields !== "function";

/** The types whose `edges`/`nodes` are already counted by the page size of the field returning them. */
const isPage = (name: string) => name.endsWith("Connection") || name === "PaymentReport";

/**
 * Cost of a field: scalars are free; every object costs 1 plus its children; a paged field
 * multiplies by its page size (`first` or `size`, default 20), an unpaged object list by
 * {@link UNPAGED_LIST_ESTIMATE}. So the cost approximates the rows and objects an answer can hold.
 */
export const queryCostEstimator: QueryComplexity.ComplexityEstimator = ({
  type,
  field,
  args,
  childComplexity,
}) => {
  const fieldType = field.type as unknown as TypeShape;
  const named = namedOf(fieldType);
  if (isLeaf(named)) return 0;
  const own = 1 + childComplexity;
  if (isPage(named.name ?? "")) {
    const size = Number(args.first ?? args.size ?? DEFAULT_PAGE_SIZE);
    return own * (Number.isFinite(size) && size > 0 ? size : DEFAULT_PAGE_SIZE);
  }
  if (isList(fieldType) && !isPage(type.name)) return own * UNPAGED_LIST_ESTIMATE;
  return own;
};

/**
 * An Apollo plugin that refuses an operation costing more than `maximum` before anything executes,
 * with `extensions.code` QUERY_TOO_COSTLY (a depth limit alone lets a shallow query ask for 200 × 200
 * rows). Variables are known here, unlike in a validation rule, so `size: $size` is priced exactly.
 */
export function queryCostLimit(maximum = MAX_QUERY_COST): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              variables: request.variables ?? {},
              operationName: request.operationName ?? undefined,
              estimators: [queryCostEstimator],
            });
          } catch {
            return; // malformed variables: execution reports them with its own error
          }
          if (cost > maximum) {
            throw new GraphQLError(`The query costs ${cost}; at most ${maximum} are allowed`, {
              extensions: { code: "QUERY_TOO_COSTLY", cost, maximum, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

import type { DocumentNode, GraphQLField, GraphQLNamedType, GraphQLSchema } from "graphql";
import { graphql } from "./graphqlRuntime.js";

const { getNamedType, isListType, isNonNullType, isObjectType, parse, validate } = graphql;

/** Nesting below the root field that an automatic selection goes to (the gateway allows 8 in all). */
const MAX_SELECTION_DEPTH = 4;

export type BuildRestOperationParameters = {
  schema: GraphQLSchema;
  field: string;
  /** `Type.field`s to leave out. */
  exclude?: readonly string[] | undefined;
  /** References to other rows (`Type.field`) to follow although a row's references are left out. */
  include?: readonly string[] | undefined;
};

export type RestOperation = {
  document: DocumentNode;
  /** The document as text (logs, docs). */
  text: string;
  kind: "query" | "mutation";
  /** Names of the field's arguments: the only variables the operation declares. */
  argumentNames: string[];
};

/**
 * The GraphQL operation a REST route runs: the root field with every argument as a variable and
 * every field of its result that can be asked for without arguments, to a bounded depth (no type
 * twice on one path; of a connection, `nodes` rather than `edges`; a row's single references to
 * other rows left out unless `include`d, lists of its own children kept). New fields the resolvers add
 * appear in REST answers and in the OpenAPI document without a change here. Throws when the field
 * does not exist, so a renamed field stops the gateway's start and the tests rather than a caller.
 */
export function buildRestOperation({
  schema,
  field,
  exclude = [],
  include = [],
}: BuildRestOperationParameters): RestOperation {
  const query = schema.getQueryType()?.getFields()[field];
  const mutation = schema.getMutationType()?.getFields()[field];
  const definition = query ?? mutation;
  if (!definition)
    throw new Error(`REST route needs GraphQL field "${field}", which the schema does not have`);
  const kind = query ? "query" : "mutation";
  const declarations = definition.args.map((argument) => {
    // a non-null argument with a default may be left out: its variable is nullable
    const type =
      isNonNullType(argument.type) && argument.defaultValue !== undefined
        ? argument.type.ofType
        : argument.type;
    return `$${argument.name}: ${type.toString()}`;
  });
  const argumentsText = definition.args.map((argument) => `${argument.name}: $${argument.name}`);
  const selection = selectionOf(
    getNamedType(definition.type),
    { exclude: new Set(exclude), include: new Set(include) },
    [],
    0,
  );
  const name = `Rest_${field.replace(/^_+/, "")}`;
  const text =
    `${kind} ${name}${declarations.length ? `(${declarations.join(", ")})` : ""} { ` +
    `${field}${argumentsText.length ? `(${argumentsText.join(", ")})` : ""}${selection} }`;
  const document = parse(text);
  const errors = validate(schema, document);
  if (errors.length > 0)
    throw new Error(`REST operation for "${field}" does not validate: ${errors[0]!.message}`);
  return { document, text, kind, argumentNames: definition.args.map((argument) => argument.name) };
}

/** A row of its own: it has an identity (and usually its own route). */
const isEntity = (type: GraphQLNamedType) =>
  isObjectType(type) && ["id", "address"].some((name) => name in type.getFields());
/** A chain-derived or identified row, whose references to other rows are left out. */
const isRow = (type: GraphQLNamedType) =>
  isEntity(type) || (isObjectType(type) && "chain" in type.getFields());

type Selection = { exclude: Set<string>; include: Set<string> };

function selectionOf(type: GraphQLNamedType, options: Selection, path: string[], depth: number): string {
  if (!isObjectType(type)) return "";
  const fields = Object.values(type.getFields()) as GraphQLField<unknown, unknown>[];
  const hasNodes = fields.some((field) => field.name === "nodes");
  const parts: string[] = [];
  for (const field of fields) {
    const name = `${type.name}.${field.name}`;
    if (options.exclude.has(name)) continue;
    if (hasNodes && field.name === "edges") continue;
    if (field.args.some((argument) => isNonNullType(argument.type) && argument.defaultValue === undefined))
      continue;
    const named = getNamedType(field.type);
    if (!isObjectType(named)) {
      parts.push(field.name);
      continue;
    }
    if (depth + 1 >= MAX_SELECTION_DEPTH || path.includes(named.name) || named.name === type.name) continue;
    // a row's single reference to another row (an account's meter, a payment's account) has its own
    // route; following it would load a row, and its counts, per row of a page
    const list = isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
    if (!list && isRow(type) && isEntity(named) && !options.include.has(name)) continue;
    const inner = selectionOf(named, options, [...path, type.name], depth + 1);
    if (inner) parts.push(`${field.name}${inner}`);
  }
  return parts.length ? ` { ${parts.join(" ")} }` : "";
}

import type {
  DocumentNode,
  GraphQLOutputType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from "graphql";
import { z } from "zod";
import { graphql } from "./graphqlRuntime.js";

const { getNamedType, isEnumType, isListType, isNonNullType, isObjectType, isScalarType, Kind } = graphql;

export type GraphqlResultSchemaParameters = {
  schema: GraphQLSchema;
  /** One operation selecting exactly one root field. */
  document: DocumentNode;
};

/**
 * The JSON shape of an operation's single root field, as a zod schema built from the GraphQL schema
 * (types, nullability, descriptions). REST responses are that field's value, so the OpenAPI document
 * describes exactly what the resolvers return and changes with them — there is no second,
 * hand-kept copy of the types to drift. Fragments are refused: REST operations spell out their fields.
 */
export function graphqlResultSchema({ schema, document }: GraphqlResultSchemaParameters): z.ZodType {
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) throw new Error("The document holds no operation");
  const root = operation.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
  if (!root) throw new Error(`The schema has no ${operation.operation} type`);
  const [selection, ...more] = operation.selectionSet.selections;
  if (!selection || more.length > 0 || selection.kind !== Kind.FIELD)
    throw new Error("A REST operation selects exactly one root field");
  const field = root.getFields()[selection.name.value];
  if (!field) throw new Error(`${root.name}.${selection.name.value} does not exist`);
  return outputSchema(field.type, selection.selectionSet, `${root.name}.${field.name}`);
}

function outputSchema(
  type: GraphQLOutputType,
  selections: SelectionSetNode | undefined,
  path: string,
): z.ZodType {
  if (isNonNullType(type)) return nonNull(type.ofType, selections, path);
  return nonNull(type, selections, path).nullable();
}

function nonNull(type: GraphQLOutputType, selections: SelectionSetNode | undefined, path: string): z.ZodType {
  if (isNonNullType(type)) return nonNull(type.ofType, selections, path);
  if (isListType(type)) return z.array(outputSchema(type.ofType, selections, path));
  if (isEnumType(type)) {
    const values = type.getValues().map((value) => value.name);
    return z.enum(values as [string, ...string[]]);
  }
  if (isScalarType(type)) return scalarSchema(type.name);
  if (isObjectType(type)) {
    if (!selections) throw new Error(`${path} needs a selection`);
    const fields = type.getFields();
    const shape: Record<string, z.ZodType> = {};
    for (const selection of selections.selections) {
      if (selection.kind !== Kind.FIELD) throw new Error(`${path}: REST operations use no fragments`);
      const key = selection.alias?.value ?? selection.name.value;
      if (selection.name.value === "__typename") {
        shape[key] = z.literal(type.name);
        continue;
      }
      const field = fields[selection.name.value];
      if (!field) throw new Error(`${type.name}.${selection.name.value} does not exist`);
      const schema = outputSchema(field.type, selection.selectionSet, `${type.name}.${field.name}`);
      shape[key] = field.description ? schema.describe(field.description) : schema;
    }
    const object = z.object(shape);
    return type.description ? object.describe(type.description) : object;
  }
  throw new Error(`${path}: ${getNamedType(type).name} (interface or union) is not mapped to REST`);
}

function scalarSchema(name: string): z.ZodType {
  switch (name) {
    case "Int":
      return z.number().int();
    case "Float":
      return z.number();
    case "Boolean":
      return z.boolean();
    case "String":
    case "ID":
      return z.string();
    default:
      // custom scalars (graphql-scalars) serialize to strings: dates, big integers, hex
      return z.string().describe(name);
  }
}

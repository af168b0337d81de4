import type { GraphQLInputType, GraphQLSchema } from "graphql";
import { z } from "zod";
import { graphql } from "./graphqlRuntime.js";

const { isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType } = graphql;

/**
 * A JSON body schema for a GraphQL input object type (nested inputs such as a tariff plan with its
 * rate rows): fields, nullability, enums and descriptions come from the GraphQL schema; the value
 * rules (ranges, patterns) stay with the resolvers' validation, whose BAD_USER_INPUT names the field.
 */
export function graphqlInputSchema(schema: GraphQLSchema, typeName: string): z.ZodType {
  const type = schema.getType(typeName);
  if (!type || !isInputObjectType(type)) throw new Error(`${typeName} is not a GraphQL input type`);
  return inputSchema(type);
}

function inputSchema(type: GraphQLInputType): z.ZodType {
  if (isNonNullType(type)) return inputSchema(type.ofType);
  if (isListType(type)) return z.array(inputSchema(type.ofType));
  if (isEnumType(type)) return z.enum(type.getValues().map((value) => value.name) as [string, ...string[]]);
  if (isScalarType(type)) {
    if (type.name === "Int") return z.number().int();
    if (type.name === "Float") return z.number();
    if (type.name === "Boolean") return z.boolean();
    return z.string();
  }
  if (isInputObjectType(type)) {
    const shape: Record<string, z.ZodType> = {};
    for (const field of Object.values(type.getFields())) {
      let schema = inputSchema(field.type);
      if (!isNonNullType(field.type)) schema = schema.nullable().optional();
      else if (field.defaultValue !== undefined) schema = schema.optional();
      shape[field.name] = field.description ? schema.describe(field.description) : schema;
    }
    const object = z.strictObject(shape);
    return type.description ? object.describe(type.description) : object;
  }
  throw new Error("unsupported input type");
}

import { Field, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../common/connection.js";
import { SortDirection } from "../common/sort.js";
import { BankDetailsNode } from "../organisations/organisation.type.js";

@ObjectType({ description: "A counterparty in an organisation's list (F-GRID-04), the gateway's own data" })
export class CounterpartyNode {
  @Field(() => Int)
  id!: number;

  @Field(() => String, { description: "Chain address of the organisation whose list it is" })
  owner!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "ИНН" })
  inn!: string;

  @Field(() => String, { nullable: true, description: "КПП" })
  kpp!: string | null;

  @Field(() => BankDetailsNode)
  bank!: BankDetailsNode;

  @Field(() => String)
  address!: string;

  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Field(() => Int, { description: "Unix seconds" })
  createdAt!: number;
}

@ObjectType()
export class CounterpartyConnection extends Connection(CounterpartyNode) {}

@InputType({ description: "A new counterparty; every requisite is validated (see the error codes)" })
export class CounterpartyInput {
  @Field(() => String, { description: "1-200 characters" })
  name!: string;

  @Field(() => String, {
    description: "ИНН: 10 digits (organisation) or 12 (person), control digits checked",
  })
  inn!: string;

  @Field(() => String, { nullable: true, description: "КПП: 9 characters (organisations)" })
  kpp?: string;

  @Field(() => String, { description: "1-200 characters" })
  bankName!: string;

  @Field(() => String, { description: "БИК: 9 digits starting 04" })
  bik!: string;

  @Field(() => String, { description: "Расчётный счёт: 20 digits, control key checked against the BIK" })
  settlementAccount!: string;

  @Field(() => String, { description: "Корреспондентский счёт: 20 digits starting 301, control key checked" })
  correspondentAccount!: string;

  @Field(() => String, { description: "1-300 characters" })
  address!: string;

  @Field(() => String, { nullable: true })
  phone?: string;
}

@InputType({ description: "Counterparty filters; text filters match a prefix" })
export class CounterpartyFilter {
  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => String, { nullable: true })
  inn?: string;
}

export enum CounterpartySortField {
  NAME = "NAME",
  INN = "INN",
  CREATED_AT = "CREATED_AT",
}
registerEnumType(CounterpartySortField, { name: "CounterpartySortField" });

@InputType({ description: "Default: by name" })
export class CounterpartySort {
  @Field(() => CounterpartySortField)
  field!: CounterpartySortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction!: SortDirection;
}

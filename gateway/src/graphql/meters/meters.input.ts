import { MaxLength } from "class-validator";
import { Field, InputType, registerEnumType } from "type-graphql";
import { SortDirection } from "../common/sort.js";

@InputType({ description: "Meter filters (F-GRID-06, F-RETAIL-05); text filters match a prefix" })
export class MeterFilter {
  @Field(() => String, { nullable: true })
  @MaxLength(32)
  accountNumber?: string;

  @Field(() => String, { nullable: true })
  @MaxLength(32)
  serial?: string;

  @Field(() => String, { nullable: true })
  @MaxLength(32)
  model?: string;

  @Field(() => String, { nullable: true, description: "Installation address" })
  @MaxLength(64)
  installationAddress?: string;
}

export enum MeterSortField {
  SERIAL = "SERIAL",
  MODEL = "MODEL",
  ID = "ID",
}
registerEnumType(MeterSortField, { name: "MeterSortField" });

@InputType({ description: "Default: by serial" })
export class MeterSort {
  @Field(() => MeterSortField)
  field!: MeterSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction!: SortDirection;
}

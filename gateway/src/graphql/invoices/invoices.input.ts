import { IsEthereumAddress, IsISO8601, Matches, Max, MaxLength, Min } from "class-validator";
import { Field, InputType, Int, registerEnumType } from "type-graphql";
import { SortDirection } from "../common/sort.js";
import { InvoiceStatus } from "./invoice.type.js";

@InputType({ description: "Invoice filters; the account number matches a prefix" })
export class InvoiceFilter {
  @Field(() => String, { nullable: true, description: "decimal" })
  @Matches(/^\d{1,16}$/)
  accountId?: string;

  @Field(() => String, { nullable: true })
  @MaxLength(32)
  accountNumber?: string;

  @Field(() => Int, { nullable: true, description: "Billing period id" })
  @Min(0)
  @Max(4_294_967_295)
  periodId?: number;

  @Field(() => [InvoiceStatus], { nullable: true, description: "Any of these statuses" })
  status?: InvoiceStatus[];

  @Field(() => String, { nullable: true, description: "Retail company's chain address" })
  @IsEthereumAddress()
  retailCompany?: string;

  @Field(() => String, { nullable: true, description: "ISO 8601 instant; computed at or after it" })
  @IsISO8601({ strict: true })
  from?: string;

  @Field(() => String, { nullable: true, description: "ISO 8601 instant; computed before it" })
  @IsISO8601({ strict: true })
  to?: string;
}

export enum InvoiceSortField {
  PERIOD = "PERIOD",
  COMPUTED_AT = "COMPUTED_AT",
  TOTAL = "TOTAL",
  STATUS = "STATUS",
  ACCOUNT = "ACCOUNT",
  DUE_DATE = "DUE_DATE",
}
registerEnumType(InvoiceSortField, { name: "InvoiceSortField" });

@InputType({ description: "Default: newest period first" })
export class InvoiceSort {
  @Field(() => InvoiceSortField)
  field!: InvoiceSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction!: SortDirection;
}

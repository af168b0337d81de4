import { IsEthereumAddress, IsISO8601, Matches, MaxLength } from "class-validator";
import { Field, InputType, registerEnumType } from "type-graphql";
import { SortDirection } from "../common/sort.js";

@InputType({ description: "Payment filters (F-RETAIL-07, F-GRID-07); text filters match a prefix" })
export class PaymentFilter {
  @Field(() => String, { nullable: true, description: "ISO 8601 instant; paid at or after it" })
  @IsISO8601({ strict: true })
  from?: string;

  @Field(() => String, { nullable: true, description: "ISO 8601 instant; paid before it" })
  @IsISO8601({ strict: true })
  to?: string;

  @Field(() => String, { nullable: true, description: "Account id, decimal" })
  @Matches(/^\d{1,16}$/)
  accountId?: string;

  @Field(() => String, { nullable: true })
  @MaxLength(32)
  accountNumber?: string;

  @Field(() => String, { nullable: true, description: "Installation address" })
  @MaxLength(64)
  installationAddress?: string;

  @Field(() => String, { nullable: true, description: "The payment source's chain address" })
  @IsEthereumAddress()
  paymentSource?: string;

  @Field(() => String, { nullable: true, description: "Retail company's chain address" })
  @IsEthereumAddress()
  retailCompany?: string;

  @Field(() => String, { nullable: true, description: "Payments against this invoice (decimal id)" })
  @Matches(/^\d{1,80}$/)
  invoiceId?: string;
}

export enum PaymentSortField {
  PAID_AT = "PAID_AT",
  AMOUNT = "AMOUNT",
  ACCOUNT = "ACCOUNT",
}
registerEnumType(PaymentSortField, { name: "PaymentSortField" });

@InputType({ description: "Default: newest first" })
export class PaymentSort {
  @Field(() => PaymentSortField)
  field!: PaymentSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction!: SortDirection;
}

export enum PaymentReportSortField {
  AMOUNT = "AMOUNT",
  ACCOUNT = "ACCOUNT",
  PAYMENTS = "PAYMENTS",
  LAST_PAID_AT = "LAST_PAID_AT",
}
registerEnumType(PaymentReportSortField, { name: "PaymentReportSortField" });

@InputType({ description: "Default: largest amount first" })
export class PaymentReportSort {
  @Field(() => PaymentReportSortField)
  field!: PaymentReportSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction!: SortDirection;
}

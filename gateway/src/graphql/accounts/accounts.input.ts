import { IsEthereumAddress, MaxLength } from "class-validator";
import { Field, InputType, registerEnumType } from "type-graphql";
import { SortDirection } from "../common/sort.js";

@InputType({ description: "Account filters (F-GRID-05, F-RETAIL-04); text filters match a prefix" })
export class AccountFilter {
  @Field(() => String, { nullable: true, description: "Retail company's chain address" })
  @IsEthereumAddress()
  retailCompany?: string;

  @Field(() => String, { nullable: true })
  @MaxLength(32)
  accountNumber?: string;

  @Field(() => String, { nullable: true, description: "Network district (участок)" })
  @MaxLength(32)
  site?: string;

  @Field(() => String, { nullable: true, description: "Installation address" })
  @MaxLength(64)
  installationAddress?: string;
}

export enum AccountSortField {
  ACCOUNT_NUMBER = "ACCOUNT_NUMBER",
  SITE = "SITE",
  INSTALLATION_ADDRESS = "INSTALLATION_ADDRESS",
  ID = "ID",
  CREDIT_BALANCE = "CREDIT_BALANCE",
}
registerEnumType(AccountSortField, { name: "AccountSortField" });

@InputType({ description: "Default: by account number" })
export class AccountSort {
  @Field(() => AccountSortField)
  field!: AccountSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction!: SortDirection;
}

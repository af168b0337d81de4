import { registryAbi } from "@gridledger/contracts";
import { Arg, Authorized, Ctx, Field, Mutation, ObjectType, Resolver } from "type-graphql";
import { type Address, type Hex, toHex } from "viem";
import { Organisation, OrganisationProfile } from "../../../db/entities/index.js";
import { NonRetryableError } from "../../../internal/errors.js";
import { type GatewayContext, Role } from "../../context.js";
import { requireDatabase, requirePrincipal } from "../../scope.js";
import { ActionResult } from "../common/actionResult.type.js";
import { accountOf, sendAction, signerOf } from "../common/sendAction.js";
import { storeDocumentBody } from "../common/storeDocumentBody.js";
import { CompanyProfileInput } from "./companyProfile.input.js";
import { canonicalProfileJson, validateCompanyProfile } from "./validateCompanyProfile.js";

@ObjectType({ description: "A company profile stored off chain and anchored by hash in the Registry" })
export class CompanyProfileResult extends ActionResult {
  @Field(() => String, {
    description: "keccak256 of the profile's canonical JSON: the organisation's profileHash on chain",
  })
  profileHash!: string;

  @Field(() => String, {
    description:
      "The organisation's own EIP-712 signature over (organisation, profileHash): proves who wrote this version",
  })
  organisationSignature!: string;
}

/** EIP-712 statement an organisation's key signs for each version of its card. */
export const COMPANY_PROFILE_TYPES = {
  CompanyProfile: [
    { name: "organisation", type: "address" },
    { name: "profileHash", type: "bytes32" },
  ],
} as const;

/**
 * F-GRID-09 (and the same card for retail companies, banks and the operator): the profile is kept in
 * the database (`organisation_profiles`, with every version's exact text in `document_bodies`) and
 * its hash is anchored on chain as the organisation's `profileHash` (Registry `updateOrganisation`).
 *
 * The organisation's own key signs the version (EIP-712, returned and kept). The Registry lets only
 * the operator write profile anchors today, so the anchoring transaction is signed by the operator's
 * key; when the organisation is the operator it is all one key (docs/security.md).
 */
@Resolver()
export class CompanyProfileResolver {
  @Authorized(Role.GridCompany, Role.RetailCompany, Role.PaymentSource, Role.Operator)
  @Mutation(() => CompanyProfileResult, {
    description:
      "Edit the calling organisation's profile: stored off chain, its hash anchored in the Registry",
  })
  async updateCompanyProfile(
    @Arg("input", () => CompanyProfileInput) input: CompanyProfileInput,
    @Ctx() context: GatewayContext,
  ): Promise<CompanyProfileResult> {
    const principal = requirePrincipal(context);
    const organisation = signerOf(principal).address.toLowerCase() as Address;
    const database = requireDatabase(context);
    const profile = validateCompanyProfile({
      ...input,
      email: input.email ?? null,
      inn: input.inn ?? null,
      kpp: input.kpp ?? null,
      ogrn: input.ogrn ?? null,
    });
    const { chain } = context.services;
    const registry = chain.contracts.Registry;
    if (!registry)
      throw new NonRetryableError("The Registry contract is not deployed", { code: "NOT_DEPLOYED" });
    const current = (await chain.publicClient.readContract({
      address: registry,
      abi: registryAbi,
      functionName: "getOrganisation",
      args: [organisation],
    } as never)) as { kind: number; active: boolean; profileId: Hex };
    if (Number(current.kind) === 0) {
      throw new NonRetryableError("The organisation is not registered on chain", {
        code: "UNKNOWN_ORGANISATION",
      });
    }
    const body = canonicalProfileJson(organisation, profile);
    const organisationKey = await accountOf(context, { kind: "organisation", address: organisation });
    const profileHash = await storeDocumentBody(context, "companyProfile", organisation, body);
    const organisationSignature = await organisationKey.signTypedData!({
      domain: { name: "GridLedger", version: "1", chainId: chain.chainId, verifyingContract: registry },
      types: COMPANY_PROFILE_TYPES,
      primaryType: "CompanyProfile",
      message: { organisation, profileHash },
    });
    const operator = await operatorAddress(context, organisation, principal.role);
    const { receipt: _receipt, ...result } = await sendAction({
      context,
      signer: { kind: "organisation", address: operator },
      contract: "Registry",
      abi: registryAbi,
      functionName: "updateOrganisation",
      args: [
        organisation,
        current.active,
        profileHash,
        profile.inn ? toHex(profile.inn, { size: 32 }) : current.profileId,
      ],
    });
    // the card changes only once its anchor is on chain: a refused edit leaves the stored card as it was
    await database.em().upsert(OrganisationProfile, {
      address: organisation,
      ...profile,
      updatedAt: Math.floor(Date.now() / 1000),
      updatedBy: principal.userId,
    });
    return { ...result, profileHash, organisationSignature };
  }
}

/** The operator whose key anchors profiles: the caller itself when it is the operator, else the index's operator. */
async function operatorAddress(
  context: GatewayContext,
  organisation: Address,
  role: string,
): Promise<Address> {
  if (role === Role.Operator) return organisation;
  const row = await requireDatabase(context)
    .em()
    .findOne(Organisation, { kind: 1, active: true }, { orderBy: { id: "asc" } });
  if (!row) {
    throw new NonRetryableError("No operator is registered to anchor the profile", {
      code: "ORGANISATION_KEY_MISSING",
    });
  }
  return row.address as Address;
}

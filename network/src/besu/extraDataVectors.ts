import type { Hex } from "viem";

/**
 * The published QBFT extraData examples collected in `shared/reference/besu-qbft.md` §2.4, with
 * their sources. Kept as data so that the encoder test and the decoder test read the same bytes.
 * Only used by tests.
 */
export type ExtraDataVector = { name: string; source: string; validators: Hex[]; extraData: Hex };

const zero32 = "00".repeat(32);

export const extraDataVectors: ExtraDataVector[] = [
  {
    name: "A: Consensys quickstart genesis",
    source: "Consensys/quorum-dev-quickstart files/besu/config/besu/QBFTgenesis.json",
    validators: [
      "0x93917cadbace5dfce132b991732c6cda9bcc5b8a",
      "0x27a97c9aaf04f18f3014c32e036dd0ac76da5f18",
      "0xce412f988377e31f4d0ff12d74df73b51c42d0ca",
      "0x98c1334496614aed49d2e81526d089f7264fed9c",
    ],
    extraData:
      "0xf87aa00000000000000000000000000000000000000000000000000000000000000000f8549493917cadbace5dfce132b991732c6cda9bcc5b8a9427a97c9aaf04f18f3014c32e036dd0ac76da5f1894ce412f988377e31f4d0ff12d74df73b51c42d0ca9498c1334496614aed49d2e81526d089f7264fed9cc080c0",
  },
  {
    name: "B: besu-docs rlp encode example",
    source: "besu-docs docs/private-networks/how-to/configure/consensus/qbft.md (Generate extra data)",
    validators: [
      "0x4592c8e45706cc08b8f44b11e43cba0cfc5892cb",
      "0x06e23768a0f59cf365e18c2e0c89e151bcdedc70",
      "0xc5327f96ee02d7bcbc1bf1236b8c15148971e1de",
      "0xab5e7f4061c605820d3744227eed91ff8e2c8908",
    ],
    extraData:
      "0xf87aa00000000000000000000000000000000000000000000000000000000000000000f854944592c8e45706cc08b8f44b11e43cba0cfc5892cb9406e23768a0f59cf365e18c2e0c89e151bcdedc7094c5327f96ee02d7bcbc1bf1236b8c15148971e1de94ab5e7f4061c605820d3744227eed91ff8e2c8908c080c0",
  },
  {
    name: "C: besu-docs QBFT genesis example",
    source: "besu-docs qbft.md (Block header validator selection)",
    validators: [
      "0x64a702e6263b7297a96638cac6ae65e6541f4169",
      "0x3923390ad55e90c237593b3b0e401f3b08a03185",
      "0xaefdb9a738c9f433e5b6b212a6d62f6370c2f692",
      "0xc7eeb9a4e00ce683cf93039b212648e01c6c6b78",
    ],
    extraData:
      "0xf87aa00000000000000000000000000000000000000000000000000000000000000000f8549464a702e6263b7297a96638cac6ae65e6541f4169943923390ad55e90c237593b3b0e401f3b08a0318594aefdb9a738c9f433e5b6b212a6d62f6370c2f69294c7eeb9a4e00ce683cf93039b212648e01c6c6b78c080c0",
  },
  {
    name: "D1: Besu RLPSubCommandTest, first pair",
    source: "besu app/src/test/java/org/hyperledger/besu/cli/subcommands/rlp/RLPSubCommandTest.java",
    validators: ["0xbe068f726a13c8d46c44be6ce9d275600e1735a4", "0x5ff6f4b66a46a2b2310a6f3a93aaddc0d9a1c193"],
    extraData: `0xf84fa0${zero32}ea94be068f726a13c8d46c44be6ce9d275600e1735a4945ff6f4b66a46a2b2310a6f3a93aaddc0d9a1c193c080c0`,
  },
  {
    name: "D2: Besu RLPSubCommandTest, second pair",
    source: "besu app/src/test/java/org/hyperledger/besu/cli/subcommands/rlp/RLPSubCommandTest.java",
    validators: ["0x241f804efb46f71acaa5be94a62f7798e89c3724", "0x6cdf72da457453063ea92e7fa5ac30afbcec28cd"],
    extraData: `0xf84fa0${zero32}ea94241f804efb46f71acaa5be94a62f7798e89c3724946cdf72da457453063ea92e7fa5ac30afbcec28cdc080c0`,
  },
  {
    name: "E: contract mode, no validators",
    source: "besu-docs qbft.md (contract validator selection)",
    validators: [],
    extraData: "0xe5a00000000000000000000000000000000000000000000000000000000000000000c0c080c0",
  },
];

/** IBFT 2.0 encoding of vector D1's validators: a QBFT decoder must refuse it. */
export const ibftExtraDataD1: Hex = `0xf853a0${zero32}ea94be068f726a13c8d46c44be6ce9d275600e1735a4945ff6f4b66a46a2b2310a6f3a93aaddc0d9a1c193808400000000c0`;

/** Vector F: Besu `QbftExtraDataCodecTest.RAW_HEX_ENCODING_STRING`, a full header with vote, round and seals. */
export const fullHeaderVector = {
  source: "besu consensus/qbft/src/test/java/org/hyperledger/besu/consensus/qbft/QbftExtraDataCodecTest.java",
  vanity: "0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20" as Hex,
  validators: [
    "0x0000000000000000000000000000000000000001",
    "0x0000000000000000000000000000000000000002",
  ] as Hex[],
  vote: { recipient: "0x0000000000000000000000000000000000000001" as Hex, add: true },
  round: 0xfedcba,
  seals: [
    `0x${"00".repeat(31)}01${"00".repeat(31)}0a00`,
    `0x${"00".repeat(31)}0a${"00".repeat(31)}0100`,
  ] as Hex[],
  extraData:
    "0xf8f0a00102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20ea940000000000000000000000000000000000000001940000000000000000000000000000000000000002d794000000000000000000000000000000000000000181ff83fedcbaf886b8410000000000000000000000000000000000000000000000000000000000000001000000000000000000000000000000000000000000000000000000000000000a00b841000000000000000000000000000000000000000000000000000000000000000a000000000000000000000000000000000000000000000000000000000000000100" as Hex,
};

import { InvalidValueError } from "../errors.js";

/**
 * How a division that touches energy or money rounds. Mirrors OpenZeppelin's `Math.Rounding` and
 * adds `HalfUp`, the rule for invoice lines (billing-rules §8): halves go away from zero.
 */
export const Rounding = {
  /** Toward negative infinity. */
  Floor: "floor",
  /** Toward positive infinity. */
  Ceil: "ceil",
  /** Toward zero. */
  Trunc: "trunc",
  /** Away from zero. */
  Expand: "expand",
  /** To the nearest integer; an exact half goes away from zero (2.5 → 3, −2.5 → −3). */
  HalfUp: "halfUp",
} as const;
export type Rounding = (typeof Rounding)[keyof typeof Rounding];

export type DivideParameters = { numerator: bigint; denominator: bigint; rounding: Rounding };

/**
 * Integer division with an explicit rounding mode. The only place in the codebase where energy or
 * money is divided, so that the Solidity mirror has exactly one rule to copy.
 *
 * @example divide({ numerator: 5n, denominator: 2n, rounding: Rounding.HalfUp }) // 3n
 */
export function divide({ numerator, denominator, rounding }: DivideParameters): bigint {
  if (denominator === 0n) throw new InvalidValueError("Division by zero");
  const negative = numerator < 0n !== denominator < 0n;
  const a = numerator < 0n ? -numerator : numerator;
  const b = denominator < 0n ? -denominator : denominator;
  const quotient = a / b;
  const remainder = a % b;
  if (remainder === 0n) return negative ? -quotient : quotient;
  let magnitude: bigint;
  switch (rounding) {
    case Rounding.Trunc:
      magnitude = quotient;
      break;
    case Rounding.Expand:
      magnitude = quotient + 1n;
      break;
    case Rounding.Floor:
      magnitude = negative ? quotient + 1n : quotient;
      break;
    case Rounding.Ceil:
      magnitude = negative ? quotient : quotient + 1n;
      break;
    case Rounding.HalfUp:
      magnitude = remainder * 2n >= b ? quotient + 1n : quotient;
      break;
    default:
      throw new InvalidValueError(`Unknown rounding mode: ${String(rounding)}`);
  }
  return negative ? -magnitude : magnitude;
}

/** `value × multiplier ÷ divisor` with one rounding at the end (no intermediate loss). */
export function mulDiv(value: bigint, multiplier: bigint, divisor: bigint, rounding: Rounding): bigint {
  return divide({ numerator: value * multiplier, denominator: divisor, rounding });
}

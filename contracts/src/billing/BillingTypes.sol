// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

// Shared types and errors of the billing libraries. Every enum's numeric values match the
// TypeScript constants of the same name in domain/src/billing (Component, LineKind, VatMode, …).

/// @dev The four price components, in index order; the lower index wins every largest-remainder tie.
enum Component {
    Energy,
    Transmission,
    RetailMarkup,
    Infrastructure
}

/// @dev What an invoice line charges for.
enum LineKind {
    Energy,
    HourlyEnergy,
    Capacity,
    NetworkMaintenance,
    NetworkLosses,
    Export
}

/// @dev How VAT appears on an invoice: none, included in the prices (households), added (legal entities).
enum VatMode {
    None,
    Included,
    Added
}

/// @dev A price split into components, each in kopecks per MWh (0.01 RUB/MWh).
struct PriceComponents {
    uint256 energy;
    uint256 transmission;
    uint256 retailMarkup;
    uint256 infrastructure;
}

/// @dev One invoice line, rounded half-up to kopecks on its own. `quantity` is Wh (W for capacity lines).
struct InvoiceLine {
    LineKind kind;
    uint8 zone;
    uint8 range;
    Component component;
    uint256 quantity;
    uint256 rate;
    uint256 amount;
}

/// @dev A window of local time [startMinute, endMinute) of one zone; end <= start wraps past midnight.
struct ZoneWindow {
    uint8 zone;
    uint16 startMinute;
    uint16 endMinute;
}

/// @dev Zone hours leave `coveredMinutes` of 1 440 minutes covered.
error BillingZoneHoursIncomplete(uint16 coveredMinutes);
/// @dev Two zone windows claim the half hour starting at local `minute`.
error BillingZoneHoursOverlap(uint16 minute);
/// @dev A zone window bound is not a half hour of the day (0–1440, multiple of 30).
error BillingZoneWindowMisaligned(uint16 minute);
/// @dev A zone index is not below the zone count, or the zone count is 0.
error BillingZoneIndexOutOfRange(uint256 zone, uint256 zoneCount);
/// @dev An interval end is not aligned to :00/:30 UTC.
error BillingIntervalMisaligned(uint64 intervalEnd);
/// @dev Two arrays that must match in length do not.
error BillingLengthMismatch(uint256 expected, uint256 actual);
/// @dev A meter register went down between two snapshots.
error BillingRegisterDecreased(uint256 register, uint256 previous, uint256 current);
/// @dev Range bounds must be positive and strictly ascending.
error BillingRangeBoundsNotAscending(uint256 index, uint256 bound);
/// @dev Range volumes and zone volumes hold different totals.
error BillingVolumeMismatch(uint256 rangesTotal, uint256 zonesTotal);
/// @dev A ratio parameter is not allowed (zero denominator, or zero numerator where it must be positive).
error BillingInvalidRatio(uint256 numerator, uint256 denominator);
/// @dev Division by zero.
error BillingDivisionByZero();
/// @dev A list that must not be empty is empty.
error BillingEmptyInput();
/// @dev An amount cannot be split by weights that are all zero.
error BillingZeroWeights(uint256 amount);
/// @dev No value of a dated schedule (VAT rate, key rate, …) is in force on `day` (days since 1970-01-01).
error BillingNoValueInForce(uint32 day);
/// @dev Dated schedule entries must ascend.
error BillingScheduleNotAscending(uint256 index);
/// @dev Penalty tier `index` does not start after the previous one, or has a zero divisor.
error BillingInvalidPenaltyTier(uint256 index);
/// @dev A count parameter (periods, windows, months, intervals) is out of its range.
error BillingInvalidCount(uint256 value);
/// @dev Neither maximum power nor cable data is available to substitute a legal entity's volume.
error BillingNoSubstituteData();
/// @dev A cable has 1 or 3 phases.
error BillingInvalidPhases(uint256 phases);
/// @dev Known intervals exceed the integral register: the period must be treated as missing.
error BillingKnownExceedsRegister(uint256 registerWh, uint256 knownWh);
/// @dev Losses to subtract exceed the metered volume.
error BillingLossExceedsVolume(uint256 lossWh, uint256 meteredWh);
/// @dev Physical parameters that must be positive are zero (hours, power factor, rated power, voltage, area).
error BillingZeroParameter();
/// @dev The premises' area exceeds the building's total area.
error BillingAreaExceedsTotal(uint256 premisesAreaDm2, uint256 totalAreaDm2);

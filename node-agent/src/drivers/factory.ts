import type { AgentConfig, MeterConfig } from "../config/config.js";
import { ConfigError } from "../errors.js";
import type { BusSession } from "../session/session.js";
import type { CanFrame } from "../transport/transport.js";
import type { MeterDriver } from "./driver.js";
import { EnergomeraDriver } from "./energomera.js";
import { Mercury230Driver } from "./mercury230.js";
import { ModbusMeterDriver } from "./modbus.js";
import { MtrCanDriver } from "./mtrCan.js";
import { BUILTIN_REGISTER_MAPS, type RegisterMap } from "./registerMaps.js";

export type SessionRef =
  | { kind: "bytes"; session: BusSession<Uint8Array> }
  | { kind: "can"; session: BusSession<CanFrame> };

/** Which kind of bus a driver needs. */
export function driverBusKind(driver: string): "bytes" | "can" {
  return driver === "mtr-can" ? "can" : "bytes";
}

/** The register map of a Modbus driver name: the config's own maps first, then the built-in ones. */
export function registerMapFor(
  driver: string,
  registerMaps: Record<string, RegisterMap> = {},
): RegisterMap | undefined {
  return registerMaps[driver] ?? BUILTIN_REGISTER_MAPS[driver];
}

/** Creates the driver for one meter on its (injected) session. */
export function createDriver(
  meter: Pick<
    MeterConfig,
    "driver" | "address" | "deviceAddress" | "password" | "clockUtcOffsetMinutes" | "bcc" | "exportParameter"
  > & {
    iecBaudRate?: number | undefined;
    tariffs?: number | undefined;
    profileTimestamp?: "start" | "end" | undefined;
  },
  bus: SessionRef,
  config?: Pick<AgentConfig, "registerMaps">,
  /** The bus's line speed (serial buses), the IEC 62056-21 sign-on rate. */
  busBaudRate?: number,
): MeterDriver {
  const needs = driverBusKind(meter.driver);
  if (needs !== bus.kind) {
    throw new ConfigError(
      `driver "${meter.driver}" needs a ${needs === "can" ? "CAN (slcan/socketcan)" : "serial or TCP"} bus`,
    );
  }
  if (bus.kind === "can") return new MtrCanDriver({ session: bus.session, node: meter.address });
  switch (meter.driver) {
    case "mercury230":
      return new Mercury230Driver({
        session: bus.session,
        address: meter.address,
        password: meter.password,
        clockUtcOffsetMinutes: meter.clockUtcOffsetMinutes,
        // The power profile holds totals: rows for a multi-tariff series would lack T1…Tn.
        loadProfile: (meter.tariffs ?? 1) === 1,
        profileTimestamp: meter.profileTimestamp,
      });
    case "ce301":
    case "ce303":
      return new EnergomeraDriver({
        model: meter.driver,
        session: bus.session,
        deviceAddress: meter.deviceAddress,
        password: meter.password,
        bcc: meter.bcc,
        clockUtcOffsetMinutes: meter.clockUtcOffsetMinutes,
        exportParameter: meter.exportParameter,
        baudRate: meter.iecBaudRate ?? busBaudRate ?? 9600,
        handshakeBaudRate: busBaudRate ?? meter.iecBaudRate ?? 9600,
      });
  }
  const map = registerMapFor(meter.driver, config?.registerMaps);
  if (!map) throw new ConfigError(`unknown driver "${meter.driver}"`);
  return new ModbusMeterDriver({ model: meter.driver, session: bus.session, address: meter.address, map });
}

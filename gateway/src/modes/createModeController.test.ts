import { describe, expect, test } from "vitest";
import { createModeController } from "./createModeController.js";
import { parseMaintenanceWindow } from "./maintenanceWindow.js";
import { EmergencyModeError, ServiceModeError } from "./modeErrors.js";

/** A probe whose answer the test switches: the controller's logic, not the dependency, is under test here. */
function switchable() {
  let up = true;
  return {
    set: (value: boolean) => {
      up = value;
    },
    probe: async () => {
      if (!up) throw new Error("connect ECONNREFUSED 127.0.0.1:3306");
      return { head: 7n };
    },
  };
}

describe("the operating mode", () => {
  test("a dependency that fails its probe puts the system in emergency; it clears when the probe passes", async () => {
    const database = switchable();
    const modes = createModeController({ probes: { database: database.probe, chain: switchable().probe } });
    expect((await modes.probe()).mode).toBe("normal");
    expect(() => modes.assertWritable()).not.toThrow();

    database.set(false);
    const down = await modes.probe();
    expect(down).toMatchObject({ mode: "emergency", down: ["database"], reason: "the database is down" });
    expect(down.dependencies.find((dependency) => dependency.name === "database")?.error).toMatch(
      /ECONNREFUSED/,
    );
    const refusal = (() => {
      try {
        modes.assertWritable();
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(EmergencyModeError);
    expect(refusal).toMatchObject({ code: "EMERGENCY_MODE", dependencies: ["database"] });
    expect((refusal as Error).message).toMatch(/database/);

    database.set(true);
    expect((await modes.probe()).mode).toBe("normal");
  });

  test("a probe that hangs counts as down after three unanswered probes in a row, not one", async () => {
    const modes = createModeController({
      probes: { cache: () => new Promise(() => undefined) },
      probeTimeoutMs: 50,
    });
    // a slow answer on a loaded machine is not an outage: writes go on through the first two
    for (const attempt of [1, 2]) {
      const state = await modes.probe();
      expect(state.mode, `probe ${attempt}`).toBe("normal");
      expect(state.dependencies[0]).toMatchObject({
        up: true,
        error: expect.stringMatching(/no answer within 50 ms/),
      });
      expect(() => modes.assertWritable()).not.toThrow();
    }
    const state = await modes.probe();
    expect(state).toMatchObject({ mode: "emergency", down: ["cache"] });
    expect(state.dependencies[0]?.error).toMatch(/no answer within 50 ms/);
  });

  test("an answer in between starts the count of unanswered probes again", async () => {
    let hang = true;
    const modes = createModeController({
      probes: { cache: () => (hang ? new Promise(() => undefined) : Promise.resolve(undefined)) },
      probeTimeoutMs: 30,
      timeoutsBeforeDown: 2,
    });
    expect((await modes.probe()).mode).toBe("normal");
    hang = false;
    expect((await modes.probe()).mode).toBe("normal");
    hang = true;
    expect((await modes.probe()).mode).toBe("normal");
    expect((await modes.probe()).mode).toBe("emergency");
  });

  test("service mode refuses writes with the message and planned end until left or its end passes", async () => {
    let clock = new Date("2026-11-27T08:00:00Z");
    const modes = createModeController({ probes: {}, now: () => clock });
    const plannedEnd = new Date("2026-11-27T09:00:00Z");
    const state = modes.enterServiceMode({ message: "Обновление базы", plannedEnd, by: "operator" });
    expect(state).toMatchObject({ mode: "service", reason: "Обновление базы", plannedEnd });
    expect(() => modes.assertWritable()).toThrow(ServiceModeError);
    expect(() => modes.assertWritable()).toThrow(/Обновление базы/);
    try {
      modes.assertWritable();
    } catch (error) {
      expect(error).toMatchObject({ code: "SERVICE_MODE", plannedEnd });
      expect((error as ServiceModeError).details).toContain("2026-11-27T09:00:00.000Z");
    }
    clock = new Date("2026-11-27T09:00:00Z");
    expect(modes.status().mode).toBe("normal");

    modes.enterServiceMode({
      message: "again",
      plannedEnd: new Date("2026-11-27T10:00:00Z"),
      by: "operator",
    });
    expect(modes.leaveServiceMode("operator").mode).toBe("normal");
  });

  test("the maintenance window is service mode on its own; an operator may end one early; emergency outranks it", async () => {
    let clock = new Date("2026-11-27T21:30:00Z"); // 00:30 Moscow
    const chain = switchable();
    const modes = createModeController({
      probes: { chain: chain.probe },
      maintenanceWindow: parseMaintenanceWindow("00:00-02:00"),
      now: () => clock,
    });
    const state = await modes.probe();
    expect(state).toMatchObject({
      mode: "service",
      plannedEnd: new Date("2026-11-27T23:00:00Z"),
      since: new Date("2026-11-27T21:00:00Z"),
    });
    expect(state.reason).toMatch(/00:00-02:00 Moscow/);
    chain.set(false);
    expect((await modes.probe()).mode).toBe("emergency");
    chain.set(true);
    expect((await modes.probe()).mode).toBe("service");
    expect(modes.leaveServiceMode("operator").mode).toBe("normal");
    // the next night's window opens again
    clock = new Date("2026-11-28T21:10:00Z");
    expect(modes.status().mode).toBe("service");
  });
});

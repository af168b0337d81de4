import { RetryableError } from "../internal/errors.js";
import type { DependencyName } from "./createModeController.js";

/**
 * A write (a mutation, a reading batch, a REST POST) refused because the system is not in normal
 * mode. Retryable: the agent keeps the batch in its outbox and sends it again once the mode clears,
 * so nothing is lost.
 */
export class ServiceModeError extends RetryableError {
  override name = "ServiceModeError";
  readonly plannedEnd: Date | undefined;
  constructor(message: string, plannedEnd: Date | undefined) {
    super(`The system is in service mode: ${message}`, {
      code: "SERVICE_MODE",
      details: plannedEnd
        ? `writes resume after the planned end ${plannedEnd.toISOString()}`
        : "writes resume when an operator ends service mode",
    });
    this.plannedEnd = plannedEnd;
  }
}

export class EmergencyModeError extends RetryableError {
  override name = "EmergencyModeError";
  readonly dependencies: DependencyName[];
  constructor(dependencies: DependencyName[], since: Date) {
    const names = dependencies.map(describeDependency).join(", ");
    super(`The system is in emergency mode: ${names} ${dependencies.length > 1 ? "are" : "is"} down`, {
      code: "EMERGENCY_MODE",
      details: `dependency=${dependencies.join(",")}; since ${since.toISOString()}; writes resume by themselves when it is back`,
    });
    this.dependencies = dependencies;
  }
}

/** How operators and error messages name a dependency. */
export function describeDependency(name: DependencyName): string {
  return { chain: "the chain RPC", database: "the database", cache: "the cache (Redis)" }[name];
}

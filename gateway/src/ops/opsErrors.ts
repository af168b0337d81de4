import { NonRetryableError } from "../internal/errors.js";

/** A backup or restore could not be done as asked (missing tool, damaged file, wrong database kind). */
export class BackupError extends NonRetryableError {
  override name = "BackupError";
  constructor(shortMessage: string, details?: string) {
    super(shortMessage, { code: "BACKUP", details });
  }
}

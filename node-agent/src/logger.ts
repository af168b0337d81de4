/**
 * A small JSON-lines logger on stderr (journald keeps it). One line per event, with a level, a
 * message and fields; nothing else in the agent writes to stderr.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export type CreateLoggerParameters = {
  /** Default: `process.env.AGENT_LOG_LEVEL` or `"info"`. */
  level?: LogLevel;
  /** Default: writes to `process.stderr`. */
  write?: (line: string) => void;
  fields?: LogFields;
};

export function createLogger(parameters: CreateLoggerParameters = {}): Logger {
  const envLevel = process.env.AGENT_LOG_LEVEL as LogLevel | undefined;
  const level = parameters.level ?? (envLevel && envLevel in ORDER ? envLevel : "info");
  const write = parameters.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const base = parameters.fields ?? {};
  const emit = (at: LogLevel, message: string, fields?: LogFields) => {
    if (ORDER[at] < ORDER[level]) return;
    write(
      JSON.stringify(
        { time: new Date().toISOString(), level: at, msg: message, ...base, ...fields },
        replacer,
      ),
    );
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (fields) => createLogger({ level, write, fields: { ...base, ...fields } }),
  };
}

/** A logger that keeps lines in memory (tests) and can also be silent. */
export function createMemoryLogger(): Logger & { lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: "debug", write: (line) => lines.push(JSON.parse(line)) });
  return Object.assign(logger, { lines });
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (value instanceof Error) return value.message;
  return value;
}

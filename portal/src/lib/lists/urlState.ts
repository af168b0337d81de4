/**
 * One parameter of a list's URL: how its text becomes a value and back. Every list screen describes
 * its query string as a record of these, so parsing, writing and spotting invalid values are shared.
 */
export type ParamCodec<Value> = {
  /** The query-string name. */
  param: string;
  /** The value when the parameter is absent or invalid. */
  fallback: Value;
  /** The value of a present, non-empty parameter, or undefined when it is invalid. */
  parse(raw: string): Value | undefined;
  /** The parameter text, or undefined to leave it out of the URL (defaults keep URLs short). */
  format(value: Value): string | undefined;
};

export type Codecs<State> = { [Key in keyof State]: ParamCodec<State[Key]> };

export type ReadParamsReturnType<State> = {
  state: State;
  /** Names of parameters whose values were invalid and are ignored (for a notice). */
  ignored: string[];
};

/** Reads a state from a query string; invalid values fall back to defaults and are named in `ignored`. */
export function readParams<State>(
  codecs: Codecs<State>,
  params: URLSearchParams,
): ReadParamsReturnType<State> {
  const state = {} as State;
  const ignored: string[] = [];
  for (const key of Object.keys(codecs) as (keyof State)[]) {
    const codec = codecs[key];
    const raw = params.get(codec.param);
    if (raw === null || raw.trim() === "") {
      state[key] = codec.fallback;
      continue;
    }
    const value = codec.parse(raw);
    if (value === undefined) {
      state[key] = codec.fallback;
      ignored.push(codec.param);
    } else state[key] = value;
  }
  return { state, ignored };
}

/** The query string of a state. */
export function writeParams<State>(codecs: Codecs<State>, state: State): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of Object.keys(codecs) as (keyof State)[]) {
    const codec = codecs[key];
    const text = codec.format(state[key]);
    if (text !== undefined && text !== "") params.set(codec.param, text);
  }
  return params;
}

/** Free text (a prefix filter): trimmed; longer than `max` characters is invalid. */
export function textParam(param: string, max: number): ParamCodec<string> {
  return {
    param,
    fallback: "",
    parse: (raw) => (raw.trim().length <= max ? raw.trim() : undefined),
    format: (value) => value.trim() || undefined,
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a text is a real calendar date YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

/** A calendar date YYYY-MM-DD. */
export function dateParam(param: string): ParamCodec<string> {
  return {
    param,
    fallback: "",
    parse: (raw) => (isCalendarDate(raw) ? raw : undefined),
    format: (value) => value || undefined,
  };
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** A chain address, kept in lower case. */
export function addressParam(param: string): ParamCodec<string> {
  return {
    param,
    fallback: "",
    parse: (raw) => (ADDRESS.test(raw.trim()) ? raw.trim().toLowerCase() : undefined),
    format: (value) => value || undefined,
  };
}

/** One of a fixed set of words. */
export function choiceParam<Choice extends string>(
  param: string,
  choices: readonly Choice[],
  fallback: Choice,
): ParamCodec<Choice> {
  return {
    param,
    fallback,
    parse: (raw) => (choices.includes(raw as Choice) ? (raw as Choice) : undefined),
    format: (value) => (value === fallback ? undefined : value),
  };
}

/** One of a fixed set of words, or nothing. */
export function optionalChoiceParam<Choice extends string>(
  param: string,
  choices: readonly Choice[],
): ParamCodec<Choice | undefined> {
  return {
    param,
    fallback: undefined,
    parse: (raw) => (choices.includes(raw as Choice) ? (raw as Choice) : undefined),
    format: (value) => value,
  };
}

/** A whole number in [min, max]; `fallback` is left out of the URL. */
export function integerParam(param: string, min: number, max: number, fallback: number): ParamCodec<number> {
  return {
    param,
    fallback,
    parse: (raw) => {
      const value = Number(raw);
      return /^-?\d+$/.test(raw.trim()) && value >= min && value <= max ? value : undefined;
    },
    format: (value) => (value === fallback ? undefined : String(value)),
  };
}

/** A whole number in [min, max], or nothing (0 stands for nothing). */
export function optionalIntegerParam(param: string, min: number, max: number): ParamCodec<number> {
  return { ...integerParam(param, min, max, 0), fallback: 0 };
}

/** One of the given numbers (page sizes). */
export function numberChoiceParam(
  param: string,
  choices: readonly number[],
  fallback: number,
): ParamCodec<number> {
  return {
    param,
    fallback,
    parse: (raw) => (choices.includes(Number(raw)) ? Number(raw) : undefined),
    format: (value) => (value === fallback ? undefined : String(value)),
  };
}

/** Whether two states write the same URL (the list need not reload). */
export function sameParams<State>(codecs: Codecs<State>, a: State, b: State): boolean {
  return writeParams(codecs, a).toString() === writeParams(codecs, b).toString();
}

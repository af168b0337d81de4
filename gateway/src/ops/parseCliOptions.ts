export type CliOptions = Record<string, string | true>;

/**
 * `--name value` and `--flag` arguments of the operations commands; anything else is an error
 * message (the command prints it with its usage and exits 2).
 */
export function parseCliOptions(
  argv: string[],
  known: { values: string[]; flags: string[] },
): CliOptions | { error: string } {
  const options: CliOptions = {};
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    const name = argument.startsWith("--") ? argument.slice(2) : undefined;
    if (name !== undefined && known.flags.includes(name)) options[name] = true;
    else if (name !== undefined && known.values.includes(name)) {
      const value = argv[++index];
      if (value === undefined || value.startsWith("--")) return { error: `--${name} needs a value` };
      options[name] = value;
    } else return { error: `Unexpected argument ${argument}` };
  }
  return options;
}

// yargs' validation messages ("Not enough non-option arguments: got 0, need at least 1") as
// sentences that name what is missing and how to give it. yargs runs in English (run.ts sets the
// locale), so its messages can be recognised here.

/** The options a command needs, or offers most, after its declared form in a synopsis. */
const options: Record<string, string> = {
  create: '[--ttl S] [--reveal] [--e2e]',
  send: '--to <id or name> --text <text>',
  extend: '--ttl <seconds>',
};

/** A command as yargs declares it (`thank <code> <message-id>`): its name, positionals and synopsis. */
interface Declared {
  name: string;
  positionals: string[];
  /** How it is called, as a sentence shows it; none when there is nothing to give (serve). */
  synopsis: string | undefined;
}

function declaredOf(declared: string): Declared {
  const [name = '', ...rest] = declared.split(' ');
  const positionals = rest.flatMap((word) => /^<(.+)>$/.exec(word)?.[1] ?? []);
  const synopsis = positionals.length > 0 || options[name] ? ['warmshower', declared, options[name]].filter(Boolean).join(' ') : undefined;
  return { name, positionals, synopsis };
}

/** What a missing argument or option is, in words. */
const meaning: Record<string, string> = {
  code: "the session's code",
  'message-id': 'the id of the warm shower to thank ("listen" shows it after each message)',
  to: 'the recipient',
  text: 'the message',
  ttl: 'the seconds from now until the session ends',
};

/** "a", "a and b", "a, b and c". */
function listed(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * The sentence for one of yargs' validation messages about the command declared as `declared`
 * (its yargs `command` string; undefined: none named), given the arguments as they were typed; a
 * message it does not know is returned as it came.
 */
export function usageSentence(message: string, declared: string | undefined, args: readonly string[]): string {
  const { name: command, positionals, synopsis } = declared === undefined ? { name: undefined, positionals: [], synopsis: undefined } : declaredOf(declared);
  /** The tail of a sentence: ": warmshower join <code>" when there is a synopsis. */
  const how = synopsis ? `: ${synopsis}` : '';
  let match = /^Not enough non-option arguments: got (\d+), need at least \d+/.exec(message);
  if (match) {
    const missing = positionals.slice(Number(match[1]));
    if (missing.length > 0) return `Give ${listed(missing.map((name) => meaning[name] ?? name))}${how}.`;
  }
  match = /^Missing required arguments?: (.+)$/.exec(message);
  if (match) return `Give ${listed(match[1]!.split(', ').map((name) => meaning[name] ?? `--${name}`))}${how}.`;
  match = /^Not enough arguments following: (.+)$/.exec(message);
  if (match) return `${flag(match[1]!)} needs a value${how}.`;
  match = /^Unknown arguments?: (.+)$/.exec(message);
  if (match) {
    const unknown = match[1]!.split(', ');
    const options = withoutCamelTwins(unknown.filter((name) => !args.includes(name)), args);
    if (options.length > 0) {
      const which = `${options.length === 1 ? 'no option' : 'no options'} ${listed(options.map(flag))}`;
      return command ? `"warmshower ${command}" has ${which}` : `warmshower has ${which}`;
    }
    if (!command) return `There is no command "${unknown[0]}"; "warmshower --help" lists them`;
    return `Too many arguments: ${listed(unknown.map((arg) => `"${arg.trim()}"`))} ${unknown.length === 1 ? 'is' : 'are'} not part of ${synopsis ?? `warmshower ${command}`}`;
  }
  match = /^Invalid values?:\n([\s\S]+)$/.exec(message);
  if (match) {
    // "  Argument: log-level, Given: "verbose", Choices: "error", "warn"", one line per option.
    const refused = [...match[1]!.matchAll(/Argument: ([^,]+), Given: (.*?), Choices: (.*)$/gm)].map(
      ([, name, given, choices]) => `${flag(name!)} must be one of ${unquoted(choices!)}, not ${given}`,
    );
    if (refused.length > 0) return refused.join('; ');
  }
  match = /^Did you mean (\S+)\?$/.exec(message);
  if (match) {
    const typed = args.find((arg) => !arg.startsWith('-'));
    return `There is no command "${typed}"; did you mean "warmshower ${match[1]}"?`;
  }
  return message;
}

/** `"error", "warn"` as `error, warn`. */
const unquoted = (choices: string): string => choices.replace(/"([^"]*)"/g, '$1');

/**
 * The unknown options without the camelCase twin yargs adds to each (`bogusFlag` beside
 * `bogus-flag`): of a pair, the one that was typed stays, else the kebab-case one.
 */
function withoutCamelTwins(names: string[], args: readonly string[]): string[] {
  const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  const typed = (name: string) => args.some((arg) => arg === flag(name) || arg.startsWith(`${flag(name)}=`));
  return names.filter((name) => {
    const twin = names.find((other) => other !== name && kebab(other) === kebab(name));
    return twin === undefined || (typed(name) && !typed(twin)) || (!typed(twin) && name === kebab(name));
  });
}

/** An option's name as it is typed: `--to`, `-x`. */
const flag = (name: string): string => (name.length === 1 ? `-${name}` : `--${name}`);

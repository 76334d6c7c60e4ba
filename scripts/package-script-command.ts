import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A package script as a command to spawn: `node`, then its flags, entry and arguments, in the package's folder. */
export interface StartCommand {
  command: string;
  args: string[];
  cwd: string;
}

/** What a production script may be: `node`, Node flags, a compiled entry. Anything needing a shell is refused. */
const NODE_SCRIPT = /^node( [\w@%+=:,./-]+)+$/;

/**
 * The script `name` (by default `start`) of the package in `packageDir`: for `start`, the one launch line of that
 * process, with its Node flags.
 * `npm start`, the test kit and the bench all run it through here; compose writes the same words out (checked by
 * scripts/production-commands.test.ts). It is spawned directly rather than through npm, because npm 11 exits on
 * SIGTERM and SIGINT without passing them on, which would cut the router's final usage flush.
 */
export function packageScriptCommand(
  packageDir: string,
  name = 'start',
  nodeFlags: readonly string[] = [],
): StartCommand {
  const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const script = manifest.scripts?.[name];
  if (script === undefined || !NODE_SCRIPT.test(script))
    throw new Error(
      `${path.join(packageDir, 'package.json')}: scripts.${name} must be "node [flags] <entry.js>", is ${JSON.stringify(script)}`,
    );
  return {
    command: process.execPath,
    args: withNodeFlags(script.split(' ').slice(1), nodeFlags),
    cwd: packageDir,
  };
}

/**
 * `args` (Node flags, then the entry and its arguments) with each of `nodeFlags` in place of the script's flag of
 * the same name (`--max-semi-space-size=4` replaces `--max-semi-space-size=16`), or added after the script's flags.
 * How a caller runs a package with one flag changed (the bench's young-generation trade-off) while every other
 * flag stays the script's.
 */
export function withNodeFlags(args: readonly string[], nodeFlags: readonly string[]): string[] {
  const flagName = (flag: string) => flag.split('=')[0] as string;
  const entryAt = args.findIndex((arg) => !arg.startsWith('-'));
  const flags = entryAt === -1 ? [...args] : args.slice(0, entryAt);
  const rest = entryAt === -1 ? [] : args.slice(entryAt);
  for (const flag of nodeFlags) {
    if (!flag.startsWith('--')) throw new Error(`not a Node flag: ${JSON.stringify(flag)}`);
    const at = flags.findIndex((existing) => flagName(existing) === flagName(flag));
    if (at === -1) flags.push(flag);
    else flags[at] = flag;
  }
  return [...flags, ...rest];
}

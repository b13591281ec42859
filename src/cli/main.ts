#!/usr/bin/env node
/**
 * The command line: parses arguments, prints help, dispatches to a command, and turns errors
 * into messages and exit codes. Commands are thin shells over the library (src/cli/commands/).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { formatDiagnostic, sortDiagnostics, UserError } from '../diagnostics.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version.js';
import type { Command, CommandContext } from './command.js';
import { diffCommand } from './commands/diff.js';
import { explainCommand } from './commands/explain.js';
import { renderCommand } from './commands/render.js';
import { validateCommand } from './commands/validate.js';
import { verifyCommand } from './commands/verify.js';

export const COMMANDS: readonly Command[] = [validateCommand, renderCommand, diffCommand, explainCommand, verifyCommand];

const TAGLINE =
  'Compile Kubernetes NetworkPolicies into a Contrail (CN2 / Tungsten Fabric) firewall snapshot, review its changes, render it.';

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `Usage: ${PACKAGE_NAME} <command> [options]`,
    '',
    TAGLINE,
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show help (also after a command)',
    '  -v, --version  print the version',
    '',
    `Run '${PACKAGE_NAME} <command> --help' for the options of a command.`,
    '',
  ].join('\n');
}

export function commandHelp(c: Command): string {
  const rows = Object.entries(c.options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}`;
    return [flag, o.description] as const;
  });
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([f]) => f.length));
  return [
    `Usage: ${PACKAGE_NAME} ${c.name} ${c.usage}`.trimEnd(),
    '',
    c.summary,
    '',
    'Options:',
    ...rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`),
    '',
  ].join('\n');
}

export async function main(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    const named = first === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    ctx.stdout.write(named ? commandHelp(named) : mainHelp());
    return first === undefined ? 1 : 0;
  }
  if (first === '-v' || first === '--version') {
    ctx.stdout.write(`${PACKAGE_NAME} ${PACKAGE_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) {
    ctx.stderr.write(`${PACKAGE_NAME}: unknown command '${first}'. Commands: ${COMMANDS.map((c) => c.name).join(', ')}.\n`);
    return 1;
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    ctx.stdout.write(commandHelp(command));
    return 0;
  }
  try {
    const options: NonNullable<ParseArgsConfig['options']> = {};
    for (const [name, o] of Object.entries(command.options)) {
      options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
    }
    let parsed;
    try {
      parsed = parseArgs({ args: [...rest], options, allowPositionals: true, strict: true });
    } catch (e) {
      // Node's message goes on about positionals starting with '-'; the first sentence is the useful one.
      const first = (e as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '').replace(/\.$/, '');
      throw new UserError(`${first}. See '${PACKAGE_NAME} ${command.name} --help'.`);
    }
    // Every option is declared as a string or a boolean, so multiple ones are string[] or boolean[]; no command takes the latter.
    return await command.run(parsed.values as Record<string, string | boolean | string[] | undefined>, parsed.positionals, ctx);
  } catch (e) {
    return reportError(e, ctx);
  }
}

/** UserError: its diagnostics or message, exit 1. Anything else is our bug: one line, exit 2. */
export function reportError(e: unknown, ctx: Pick<CommandContext, 'stderr' | 'env'>): number {
  if (e instanceof UserError) {
    if (e.diagnostics.length) {
      for (const d of sortDiagnostics(e.diagnostics)) ctx.stderr.write(`${formatDiagnostic(d)}\n`);
      if (e.message && !e.diagnostics.some((d) => d.message === e.message)) ctx.stderr.write(`${e.message}\n`);
    } else {
      ctx.stderr.write(`error: ${e.message}\n`);
    }
    return 1;
  }
  const err = e as Error;
  ctx.stderr.write(
    `internal error: ${err?.message ?? String(e)}\nThis is a bug in ${PACKAGE_NAME} ${PACKAGE_VERSION}; please report it with the command you ran.\n`,
  );
  if (ctx.env.CONTRAIL_GITOPS_DEBUG) ctx.stderr.write(`${err?.stack ?? ''}\n`);
  return 2;
}

function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  main(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.exitCode = reportError(e, { stderr: process.stderr, env: process.env });
    },
  );
}

/**
 * A CLI command: a thin shell over the library. `main.ts` parses the command line with
 * `node:util` parseArgs using `options`, prints `--help` from `summary`/`usage`/`options`, and calls
 * `run`. A command returns its exit code; a UserError it throws is printed (no stack) and exits 1.
 */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** One line for --help. */
  readonly description: string;
  /** Shown in --help as `--name VALUE`. */
  readonly valueName?: string;
}

export interface CommandContext {
  /** Current working directory (the repository root unless --root says otherwise). */
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Usage line after the command name: `[--policies DIR] [--out DIR]`. */
  readonly usage: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  run(
    values: Readonly<Record<string, string | boolean | string[] | undefined>>,
    positionals: readonly string[],
    ctx: CommandContext,
  ): Promise<number>;
}

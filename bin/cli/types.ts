import type { Ctx } from '../../lib/context';

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean>;
}

/** One `corridor <name>` subcommand; returns the process exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: ParsedArgs, ctx: Ctx): Promise<number>;
}

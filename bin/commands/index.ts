// Every `corridor` subcommand, by name. New capabilities add one line.
import type { Command } from '../cli/types';

export const commands: Record<string, () => Promise<Command>> = {
  ingest: async () => (await import('./ingest')).command,
  datasets: async () => (await import('./datasets')).command,
  compute: async () => (await import('./compute')).command,
  serve: async () => (await import('./serve')).command,
  demo: async () => (await import('./demo')).command,
  user: async () => (await import('./user')).command,
  portal: async () => (await import('./portal')).command,
  bca: async () => (await import('./bca')).command,
  export: async () => (await import('./export')).command,
  validate: async () => (await import('./validate')).command,
};

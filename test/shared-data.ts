// Real public files live in ../shared/data on developer machines and in CI, never in a user's
// clone. Tests that need them call sharedData() and skip, saying why, when it returns null.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../shared/data/', import.meta.url));
let warned = false;

export function sharedData(rel: string): string | null {
  const p = ROOT + rel;
  if (existsSync(p)) return p;
  if (!warned) {
    warned = true;
    console.warn(
      `skipping tests that need real agency files: ${ROOT} is absent (it exists only beside the project's own checkout)`,
    );
  }
  return null;
}

// Password and token hashing for the local staff account (node:crypto only). The stored form is
// self-describing — scrypt$N$r$p$salt$hash, base64url — so parameters can be raised later
// without breaking existing hashes.
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const PARAMS = { N: 16384, r: 8, p: 1, keylen: 32 };

export function hashPassword(password: string, salt = randomBytes(16)): string {
  const { N, r, p, keylen } = PARAMS;
  const key = scryptSync(password.normalize('NFC'), salt, keylen, { N, r, p });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0) || N > 1 << 20) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const want = Buffer.from(parts[5]!, 'base64url');
  if (want.length < 16) return false;
  const got = scryptSync(password.normalize('NFC'), salt, want.length, {
    N,
    r,
    p,
    maxmem: 256 * N * r + 1024 * 1024,
  });
  return timingSafeEqual(got, want);
}

/** API tokens are stored as their sha256 (hex): they are long random strings, not passwords. */
export function tokenSha256(token: string) {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken() {
  return `cor_${randomBytes(24).toString('base64url')}`;
}

export function sameSecret(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

import { createInterface } from 'node:readline/promises';
import { hashPassword, newToken, tokenSha256 } from '../../lib/auth/passwords';
import type { Command } from '../cli/types';

async function readSecret(prompt: string): Promise<string> {
  // Piped input (CI, scripts): read one line; on a TTY: prompt without echo.
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return '';
  }
  process.stderr.write(prompt);
  process.stdin.setRawMode(true);
  let s = '';
  return new Promise((resolve) => {
    const onData = (b: Buffer) => {
      for (const ch of b.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          process.stdin.setRawMode(false);
          process.stdin.off('data', onData);
          process.stdin.pause();
          process.stderr.write('\n');
          return resolve(s);
        }
        if (ch === '\u0003') process.exit(130);
        s = ch === '\u007f' ? s.slice(0, -1) : s + ch;
      }
    };
    process.stdin.on('data', onData);
    process.stdin.resume();
  });
}

export const command: Command = {
  name: 'user',
  summary: 'create the local staff account: hash-password (scrypt) or token; prints the environment to set',
  usage:
    'corridor user hash-password [--user NAME] [--role viewer|analyst|admin]   (password read from stdin)\n       corridor user token [--user NAME]',
  async run(args) {
    const sub = args.positionals[0];
    const user = typeof args.flags.user === 'string' ? args.flags.user : 'admin';
    const role = typeof args.flags.role === 'string' ? args.flags.role : 'admin';
    if (!['viewer', 'analyst', 'admin'].includes(role)) {
      console.error('--role must be viewer, analyst or admin');
      return 2;
    }
    if (sub === 'hash-password') {
      const pw = await readSecret('Password: ');
      if (pw.length < 12) {
        console.error('choose a password of at least 12 characters');
        return 2;
      }
      console.log(`CORRIDOR_ADMIN_USER=${user}`);
      console.log(`CORRIDOR_ADMIN_ROLE=${role}`);
      console.log(`CORRIDOR_ADMIN_PASSWORD_HASH='${hashPassword(pw)}'`);
      return 0;
    }
    if (sub === 'token') {
      const token = newToken();
      console.error(
        `API token for ${user} (shown once; send it as "Authorization: Bearer <token>"):\n${token}\n`,
      );
      console.log(`CORRIDOR_ADMIN_USER=${user}`);
      console.log(`CORRIDOR_ADMIN_TOKEN_SHA256=${tokenSha256(token)}`);
      return 0;
    }
    console.error(`usage: ${this.usage}`);
    return 2;
  },
};

// `npm run hash-password [-- <password>]`: prints the scrypt hash to put in GMS_USERS or UCS_USERS
// (`name:<hash>:Administrator|Supervisor`). Without an argument the password is read from stdin, so it
// stays out of the shell history.
import { hashPassword } from '../libs/platform/src/core/auth/password-hash';

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

async function main(): Promise<void> {
  if (process.stdin.isTTY && process.argv.length <= 2) process.stderr.write('Password, then Ctrl-D: ');
  const password = process.argv[2] ?? (await readStdin());
  if (password === '') {
    process.stderr.write('empty password\n');
    process.exit(1);
  }
  process.stdout.write(`${hashPassword(password)}\n`);
}

void main();

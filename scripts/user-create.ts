// `npm run user:create -- --email you@example.com [--role owner] [--name "Your Name"]`: adds a console user who can
// sign in at once, e.g. the first owner of a deployment made with docker compose (the image has this script):
//
//   docker compose run --rm migrate node scripts/dist/user-create.js --email you@example.com --role owner
//
// The password comes from SWITCHYARD_USER_PASSWORD or else standard input (asked for twice, not echoed, on a
// terminal; the first line when piped). Never from the command line: every user of the machine can read it there.
import { Buffer } from 'node:buffer';
import { parseArgs } from 'node:util';
import {
  AdminRepositoryError,
  createPrismaClient,
  createUserRepository,
  hashPassword,
  USER_ROLES,
  type UserRoleName,
} from '@switchyard/db/admin';
import { consolePassword, exitOnEnvError, loadUserCreateEnv, type UserCreateEnv } from './env';

const USAGE =
  'usage: user-create --email <address> [--role owner|admin|member|viewer] [--name <display name>]\n' +
  '       password: SWITCHYARD_USER_PASSWORD, or standard input';

/** Prints `message` (and the usage line for a bad argument) and exits: 2 for a bad invocation, 1 otherwise. */
function fail(message: string, code: 1 | 2 = 1): never {
  console.error(`user:create: ${message}${code === 2 ? `\n${USAGE}` : ''}`);
  process.exit(code);
}

let env: UserCreateEnv;
try {
  env = loadUserCreateEnv();
} catch (error) {
  exitOnEnvError(error);
}

let args: { email?: string; role?: string; name?: string; password?: string };
try {
  // `password` is accepted only to be refused with a reason instead of "unknown option".
  args = parseArgs({
    options: {
      email: { type: 'string' },
      role: { type: 'string', default: 'owner' },
      name: { type: 'string' },
      password: { type: 'string' },
    },
    strict: true,
  }).values;
} catch (error) {
  fail(error instanceof Error ? error.message : String(error), 2);
}
if (args.password !== undefined)
  fail(
    '--password is refused: a command line is visible to every user of the machine; set SWITCHYARD_USER_PASSWORD or type it when asked',
    2,
  );
const email = args.email?.trim().toLowerCase() ?? fail('--email is required', 2);
if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 320)
  fail(`--email: ${JSON.stringify(args.email)} is not an e-mail address`, 2);
const role = args.role as UserRoleName;
if (!USER_ROLES.includes(role)) fail(`--role must be one of ${USER_ROLES.join(', ')}`, 2);
const name = args.name?.trim() || null;

const password = env.SWITCHYARD_USER_PASSWORD ?? (await readPassword());
const checked = consolePassword.safeParse(password);
if (!checked.success) fail(`the password ${checked.error.issues[0]?.message ?? 'is not accepted'}`, 2);

const prisma = createPrismaClient(env.DATABASE_URL, { maxConnections: 1 });
try {
  const user = await createUserRepository(prisma).create(
    { email, name, role, teamId: null, passwordHash: await hashPassword(checked.data) },
    { type: 'anonymous', id: 'npm run user:create' },
  );
  console.log(
    `user:create: created ${user.role} ${user.email} (${user.id}); they can sign in to the console now`,
  );
} catch (error) {
  if (error instanceof AdminRepositoryError) fail(`${email}: ${error.message}`);
  fail(error instanceof Error ? error.message : String(error));
} finally {
  await prisma.$disconnect();
}

/** The password from standard input: typed twice without echo on a terminal, else the first line. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  const first = await promptHidden('Password: ');
  const again = await promptHidden('Password again: ');
  if (first !== again) fail('the two passwords differ');
  return first;
}

/** Reads one line from the terminal in raw mode, echoing nothing. Ctrl-C aborts. */
function promptHidden(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  let typed = '';
  return new Promise((resolve) => {
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\u0003') {
          stdin.setRawMode(false);
          process.stderr.write('\n');
          process.exit(130);
        }
        if (char === '\r' || char === '\n') {
          stdin.off('data', onData);
          stdin.setRawMode(false);
          stdin.pause();
          process.stderr.write('\n');
          resolve(typed);
          return;
        }
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.on('data', onData);
  });
}

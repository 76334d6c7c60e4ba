import { appendFile, readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';
import { AdminApiError, createAdminClient } from './admin-client';
import { applyConfigPlan } from './apply-config-plan';
import { type ConfigDocument, canonicalPrices, configDocument } from './config-document';
import { loadConfigEnv, readEnvReference } from './config-env';
import { planConfigChanges, renderPlan } from './plan-config-changes';
import { readLiveConfig } from './read-live-config';

const USAGE = `Usage:
  npm run config -- export > switchyard.yaml
  npm run config -- apply switchyard.yaml                 # dry run: prints the diff, changes nothing
  npm run config -- apply switchyard.yaml --yes           # makes the changes
      [--new-keys-file keys.env]                          # keeps the secrets of keys apply creates (mode 0600)

Environment: SWITCHYARD_URL (the dashboard, default http://localhost:3000), SWITCHYARD_ADMIN_TOKEN.
Credentials in the file are \${ENV_NAME} references, read from the environment when an account is created.`;

const HEADER = `# Switchyard configuration (npm run config -- apply <file>). Objects are identified by name.
# Account credentials are environment references: set each variable before applying to a new installation.
`;

async function readDocument(file: string): Promise<ConfigDocument> {
  const parsed = configDocument.safeParse(parse(await readFile(file, 'utf8')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(file)'}: ${issue.message}`,
    );
    throw new Error(`${file} is not a valid Switchyard config:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/**
 * A budget's webhook URL may carry a token (Slack, Teams): the file may name it as `${ENV_NAME}` instead, read here
 * so the diff compares the real URL.
 */
function withWebhookSecrets(document: ConfigDocument): ConfigDocument {
  const budgets = document.budgets.map((budget) => {
    const reference =
      budget.webhookUrl === null ? null : /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(budget.webhookUrl);
    if (!reference?.[1]) return budget;
    const value = readEnvReference(reference[1]);
    if (!value) throw new Error(`budget ${budget.name}: environment variable ${reference[1]} is not set`);
    return { ...budget, webhookUrl: value };
  });
  return { ...document, budgets };
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { yes: { type: 'boolean', default: false }, 'new-keys-file': { type: 'string' } },
  });
  const [command, file] = positionals;
  if (command !== 'export' && !(command === 'apply' && file)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const env = loadConfigEnv();
  const client = createAdminClient({ baseUrl: env.SWITCHYARD_URL, token: env.SWITCHYARD_ADMIN_TOKEN });
  const live = await readLiveConfig(client);
  for (const warning of live.warnings) process.stderr.write(`warning: ${warning}\n`);

  if (command === 'export') {
    process.stdout.write(HEADER + stringify(live.document, { lineWidth: 0 }));
    return 0;
  }

  const desired = canonicalPrices(withWebhookSecrets(await readDocument(file as string)));
  const plan = planConfigChanges(desired, live.document);
  process.stdout.write(renderPlan(plan));
  if (plan.problems.length > 0) return 1;
  if (plan.changes.length === 0) return 0;
  if (!values.yes) {
    process.stdout.write('Dry run: nothing was changed. Run again with --yes to apply.\n');
    return 0;
  }
  const keysFile = values['new-keys-file'];
  await applyConfigPlan(client, desired, live.ids, plan, {
    env: readEnvReference,
    log: (line) => process.stdout.write(`${line}\n`),
    async onKeyCreated(name, plaintext, prefix) {
      if (keysFile) {
        await appendFile(keysFile, `${name}=${plaintext}\n`, { mode: 0o600 });
        process.stdout.write(`key ${name} (${prefix}…): secret written to ${keysFile}\n`);
      } else {
        process.stdout.write(
          `key ${name} (${prefix}…): secret not kept (pass --new-keys-file to keep it, or rotate the key in the console)\n`,
        );
      }
    },
  });
  process.stdout.write('Applied.\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const detail = error instanceof AdminApiError && error.requestId ? ` (request ${error.requestId})` : '';
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}${detail}\n`);
    process.exitCode = 1;
  },
);

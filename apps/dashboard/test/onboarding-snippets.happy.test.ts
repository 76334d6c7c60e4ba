import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getTestPostgresServerUrl } from '@switchyard/db/testing';
import { ROOT, SEEDED_MODEL, type Stack, startStack } from '@switchyard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  environmentVariables,
  onboardingSnippets,
  type Snippet,
  type SnippetLanguage,
} from '../src/lib/onboarding-snippets';

// The onboarding page's snippets, exactly as rendered, run as an app team would run them: the Node ones with
// `node` and the official SDKs, the curl ones with bash, both with only the environment the page lists (the
// placeholder key replaced by a real one), against a real router, the mock provider and PostgreSQL.

let stack: Stack;
let workDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  stack = await startStack(await getTestPostgresServerUrl());
  // Inside the repository, so `import 'openai'` resolves from the root node_modules like an app's would.
  const cache = path.join(ROOT, 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  workDir = await mkdtemp(path.join(cache, 'onboarding-snippets-'));
  env = Object.fromEntries(
    environmentVariables(stack.routerUrl).map((variable) => [
      variable.name,
      variable.value === 'sk-sy-…' ? stack.apiKey : variable.value,
    ]),
  );
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

function run(
  command: string,
  args: string[],
  extraEnv: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Only PATH and HOME from the test's environment: the snippet gets what the page told the user to set.
    const child = spawn(command, args, {
      cwd: workDir,
      env: {
        NODE_ENV: 'production',
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function runSnippet(snippet: Snippet) {
  if (snippet.language === 'node') {
    const file = path.join(workDir, `${snippet.id}.mjs`);
    await writeFile(file, snippet.code);
    return run(process.execPath, [file], env);
  }
  if (snippet.language === 'python') {
    const file = path.join(workDir, `${snippet.id}.py`);
    await writeFile(file, snippet.code);
    return run(PYTHON, [file], env);
  }
  return run('bash', ['-euo', 'pipefail', '-c', snippet.code], env);
}

/** What each snippet must print, by task: the mock echoes the prompt, calls the tool, then uses its result. */
const EXPECTED: Record<Snippet['task'], RegExp[]> = {
  chat: [/Say hello to Switchyard/, /deterministic mock completion/],
  stream: [/Say hello to Switchyard/, /deterministic mock completion/],
  tools: [/get_weather/],
};

const snippets = onboardingSnippets({ routerUrl: 'http://placeholder.invalid', model: SEEDED_MODEL });
/**
 * The Python snippets need the `openai`, `anthropic` and `google-genai` packages: SNIPPET_PYTHON names a Python
 * that has them (e.g. a virtualenv's). Without one they are reported as skipped, by name, never passed.
 */
const PYTHON = process.env.SNIPPET_PYTHON ?? 'python3';
const pythonReady =
  spawnSync(PYTHON, ['-c', 'import openai, anthropic\nfrom google import genai'], { stdio: 'ignore' })
    .status === 0;
const tested: SnippetLanguage[] = ['node', 'curl'];

describe('onboarding snippets run against a real router', () => {
  it('cover chat, stream and tools for openai, and the Anthropic and Gemini SDK families, in Node', () => {
    const node = snippets.filter((s) => s.language === 'node').map((s) => s.id);
    expect(node).toEqual(
      expect.arrayContaining([
        'node-openai-chat',
        'node-openai-stream',
        'node-openai-tools',
        'node-anthropic-chat',
        'node-gemini-chat',
      ]),
    );
    // Base URLs: the OpenAI family's ends in /v1; the Anthropic and Gemini SDKs take the origin.
    expect(environmentVariables('http://gw.example:8080/')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'OPENAI_BASE_URL', value: 'http://gw.example:8080/v1' }),
        expect.objectContaining({ name: 'ANTHROPIC_BASE_URL', value: 'http://gw.example:8080' }),
        expect.objectContaining({ name: 'GOOGLE_GEMINI_BASE_URL', value: 'http://gw.example:8080' }),
      ]),
    );
  });

  for (const snippet of snippets) {
    const runnable = tested.includes(snippet.language) || (snippet.language === 'python' && pythonReady);
    it.skipIf(!runnable)(`${snippet.id} exits 0 and prints the reply`, async () => {
      const result = await runSnippet(snippet);
      expect(result.stderr).not.toMatch(/Error/);
      expect(result.code).toBe(0);
      // curl shows the raw event stream: one word a chunk, then the end marker.
      const expected =
        snippet.id === 'curl-openai-stream'
          ? [/"content":" Switchyard"/, /data: \[DONE\]/]
          : EXPECTED[snippet.task];
      for (const pattern of expected) expect(result.stdout).toMatch(pattern);
      if (snippet.id.endsWith('-openai-tools') && snippet.language !== 'curl') {
        // The round trip's second half: the model's answer uses the tool's result.
        expect(result.stdout).toMatch(/tool result: \{"temperature_c": ?21, ?"conditions": ?"sunny"\}/);
      }
      if (snippet.id === 'node-openai-chat') expect(result.stdout).toMatch(/request id: \S+/);
    });
  }

  it('a snippet for a model the router does not serve fails loudly (the test can fail)', async () => {
    const [chat] = onboardingSnippets({ routerUrl: stack.routerUrl, model: 'no-such-model' });
    expect(chat?.id).toBe('node-openai-chat');
    const result = await runSnippet(chat as Snippet);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/404/);
  });
});

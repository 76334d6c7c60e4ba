// The files that define what production runs, parsed (no Docker needed): the Dockerfile's stages and
// docker-compose.yml's services. For the tests that check them and the one that reproduces the runtime stage.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface DockerStage {
  name: string;
  /** The image or earlier stage it starts from. */
  from: string;
  /** Instructions in order, continuation lines joined, comments dropped. */
  instructions: string[];
}

/** The Dockerfile's stages: `FROM … AS name` and the instructions under it. */
export function dockerStages(text = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8')): DockerStage[] {
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: DockerStage[] = [];
  for (const instruction of instructions) {
    const from = instruction.match(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i);
    if (from)
      stages.push({ name: from[2] ?? `stage${stages.length}`, from: from[1] as string, instructions: [] });
    else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

export interface ComposeService {
  command?: string[];
  working_dir?: string;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

/** docker-compose.yml with its `<<:` merges applied (variables are left as written). */
export function readCompose(): ComposeFile {
  return parse(readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8'), {
    merge: true,
  }) as ComposeFile;
}

/**
 * A compose value with its `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `${VAR:?message}` references
 * resolved from `variables` as `docker compose` does (a required one that is unset or empty throws its message).
 */
export function interpolate(value: string, variables: Record<string, string | undefined>): string {
  return value.replace(/\$\{(\w+)(?:(:?)([-?])([^}]*))?\}/g, (_, name: string, colon: string, kind, rest) => {
    const given = variables[name];
    const unset = given === undefined || (colon === ':' && given === '');
    if (!unset) return given;
    if (kind === '?') throw new Error(`${name}: ${rest || 'required'}`);
    return kind === '-' ? rest : '';
  });
}

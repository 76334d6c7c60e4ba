import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, recordFixtures } from '../scripts/record-fixtures';

describe('recorded fixtures', () => {
  it('match what the mock answers today (re-record with `npm run fixtures -w @switchyard/mock-provider`)', async () => {
    const recorded = await recordFixtures();
    const onDisk = (await readdir(FIXTURES_DIR)).sort();
    expect(onDisk).toEqual([...recorded.keys()].sort());
    for (const [name, content] of recorded) {
      expect(await readFile(join(FIXTURES_DIR, name), 'utf8'), name).toBe(content);
    }
    // One sample of every protocol and shape, streams included.
    expect(onDisk).toEqual(
      expect.arrayContaining([
        'anthropic-messages.stream.chunks.txt',
        'gemini.stream-generate-content.chunks.txt',
        'openai-responses.stream.chunks.txt',
        'openai-chat.stream.chunks.txt',
      ]),
    );
  });
});

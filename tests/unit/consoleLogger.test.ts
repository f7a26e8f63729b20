import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConsoleLogger } from '../../shared/consoleLogger.js';
import { SecretRedaction } from '../../shared/sync/security/secretRedaction.js';
import { echoedForms, formsIn } from './core/security/echoedForms.js';

const key = 'ck_2b7c9e1f0a3d4c5b6a7f8e9d0c1b2a3f4e5d6c7b';
const secret = 'cs_8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e';

describe('the console logger', () => {
  let lines: string[];
  beforeEach(() => {
    lines = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes registered secrets, in any form, as [redacted] in the message and the fields', () => {
    const redaction = new SecretRedaction();
    redaction.addStored(JSON.stringify({ consumerKey: key, consumerSecret: secret }));
    const log = createConsoleLogger('info', redaction);
    const basic = Buffer.from(`${key}:${secret}`).toString('base64');
    log.warn(`provider said: bad secret ${secret.toUpperCase()}`, { executionId: 'exe_1', error: `Authorization: Basic ${basic}`, query: `consumer_key=${encodeURIComponent(key)}` });
    log.error('echo', { nested: { deeper: [`"${secret}"`] } });

    expect(lines).toHaveLength(2);
    const output = lines.join('');
    expect(formsIn(output, echoedForms(key, secret))).toEqual([]);
    expect(lines[0]).toMatch(/ WARN provider said: bad secret \[redacted\] \{"executionId":"exe_1","error":"Authorization: Basic \[redacted\]","query":"consumer_key=\[redacted\]"\}\n$/);
    expect(lines[1]).toContain('{"nested":{"deeper":["\\"[redacted]\\""]}}');
  });

  it('writes lines without secrets as they are, and none below its level', () => {
    const redaction = new SecretRedaction();
    redaction.add(secret);
    const log = createConsoleLogger('warn', redaction);
    log.info('not written');
    log.warn('page fetch failed; retrying later', { executionId: 'exe_1', page: 3 });
    expect(lines).toEqual([expect.stringMatching(/ WARN page fetch failed; retrying later \{"executionId":"exe_1","page":3\}\n$/)]);
  });
});

import { describe, expect, it } from 'vitest';
import { apiErrorMessage, CliError } from '../../cli/cliError.js';
import { EventStreamParser } from '../../cli/eventStreamParser.js';
import { formatDuration, progressLine } from '../../cli/progressText.js';
import { renderConflicts, resolveBody } from '../../cli/commands/conflicts.js';
import { cell } from '../../cli/table.js';

describe('the CLI\'s pure parts', () => {
  it('parses server-sent events split anywhere, ignoring comments', () => {
    const parser = new EventStreamParser();
    const text = ': hello\n\nevent: execution\ndata: {"percent":5}\n\nevent: end\r\ndata: {"percent":100}\r\n\r\n';
    const events = [...text].flatMap((char) => parser.push(char));
    expect(events).toEqual([
      { event: 'execution', data: '{"percent":5}' },
      { event: 'end', data: '{"percent":100}' },
    ]);
    expect(parser.push('data: x\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('says the API\'s own error with its issues, or the status when the body is not the API\'s', () => {
    expect(apiErrorMessage(422, { error: { code: 'validation_failed', message: 'invalid query', issues: [{ path: 'query.type', message: 'too small' }] } })).toBe(
      'invalid query (422 validation_failed)\n  query.type: too small',
    );
    expect(apiErrorMessage(502, '<html>bad gateway</html>')).toBe('the API answered 502: <html>bad gateway</html>');
    expect(apiErrorMessage(500, undefined)).toBe('the API answered 500');
  });

  it('maps --accept and --value to the API\'s resolve actions, and refuses both or neither', () => {
    expect(resolveBody({ accept: 'ours' })).toEqual({ action: 'accept_local' });
    expect(resolveBody({ accept: 'theirs' })).toEqual({ action: 'accept_remote' });
    expect(resolveBody({ value: '"ada@example.com"' })).toEqual({ action: 'custom', value: 'ada@example.com' });
    expect(() => resolveBody({})).toThrow(CliError);
    expect(() => resolveBody({ accept: 'ours', value: '1' })).toThrow(/exactly one/);
    expect(() => resolveBody({ value: 'ada@example.com' })).toThrow(/not JSON/);
  });

  it('shows a conflict\'s field with base, ours and theirs', () => {
    const table = renderConflicts([
      { id: 'cfl_1', type: 'DataMismatch', status: 'open', shardId: 'shd_1', externalId: '42', path: 'email', base: 'a@x.io', local: 'b@x.io', remote: 'c@x.io' },
    ]);
    expect(table).toMatch(/│ cfl_1 +│ DataMismatch +│ shd_1 +│ 42 +│ email +│ "a@x.io" +│ "b@x.io" +│ "c@x.io" +│/);
    expect(renderConflicts([])).toBe('(none)');
  });

  it('formats progress, durations and cells', () => {
    expect(progressLine({ id: 'e', status: 'running', percent: 42.4, etaMs: 83_000, counts: { fetched: 10, created: 9, failed: 1 } })).toBe(
      'running    42%  ETA 1m23s  fetched 10 · created 9 · updated 0 · unchanged 0 · failed 1',
    );
    expect(progressLine({ id: 'e', status: 'queued', percent: null, etaMs: null, counts: {} })).toMatch(/^queued {6}-%  fetched 0/);
    expect(formatDuration(7_200_000)).toBe('2h00m');
    expect(cell(undefined)).toBe('-');
    expect(cell({ a: 1 })).toBe('{"a":1}');
    expect(cell('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

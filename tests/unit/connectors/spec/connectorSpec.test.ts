import { describe, expect, it } from 'vitest';
import { genericRestSettingsSchema } from '../../../../shared/connectors/genericRest/genericRestSettings.js';
import { authSpec, credentialsSchemaOf, secretValuesOf } from '../../../../shared/connectors/spec/authSpec.js';
import { connectorSpec, type ConnectorSpecInput } from '../../../../shared/connectors/spec/connectorSpec.js';
import { errorRule } from '../../../../shared/connectors/spec/errorSpec.js';
import { failureKind } from '../../../../shared/connectors/spec/failureKind.js';

type StreamInput = ConnectorSpecInput['streams'][number];

const stream = (name: string, extra: Partial<StreamInput> = {}): StreamInput => ({
  name,
  path: name,
  modifiedField: 'updated_at',
  paginator: { kind: 'cursor', nextCursorPath: 'next_cursor' },
  ...extra,
});

const spec = (extra: Partial<ConnectorSpecInput> = {}): ConnectorSpecInput => ({
  title: 'Acme CRM',
  baseUrl: 'https://api.acme.test/v1',
  auth: { kind: 'bearer' },
  maxPageSize: 100,
  streams: [stream('companies'), stream('contacts', { dependsOn: ['companies'] })],
  ...extra,
});

/** Every problem as `path: message`, in the order zod lists them. */
const problemsOf = (result: { success: boolean; error?: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } }) => {
  expect(result.success).toBe(false);
  return result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('connectorSpec: a valid spec', () => {
  it('parses and fills the defaults', () => {
    const parsed = connectorSpec.parse(
      spec({
        streams: [
          stream('contacts', {
            paginator: { kind: 'pageNumber' },
            incremental: { param: 'updated_since' },
            writes: { update: { path: 'contacts/{id}' }, create: { path: 'contacts' } },
          }),
        ],
      }),
    );
    expect(parsed.rateLimitHeaders).toBe(true);
    expect(parsed.errors).toEqual({ rules: [] });
    const [contacts] = parsed.streams;
    expect(contacts).toMatchObject({ idField: 'id', dependsOn: [], paginator: { kind: 'pageNumber', pageParam: 'page', sizeParam: 'per_page', firstPage: 1 } });
    expect(contacts!.incremental).toEqual({ param: 'updated_since', format: 'iso8601', exclusive: false });
    expect(contacts!.writes).toEqual({
      update: { method: 'PATCH', path: 'contacts/{id}' },
      create: { method: 'POST', path: 'contacts' },
      concurrency: { kind: 'none' },
      forbiddenFields: [],
      answer: 'record',
      createdIdPath: 'id',
    });
  });

  it('fills each paginator\'s defaults', () => {
    const paginators = connectorSpec.parse(
      spec({
        streams: [
          stream('a', { paginator: { kind: 'offset' } }),
          stream('b', { paginator: { kind: 'cursor', nextCursorPath: 'paging.next.after' } }),
          stream('c', { paginator: { kind: 'linkHeader' } }),
          stream('d', { paginator: { kind: 'range' } }),
        ],
      }),
    ).streams.map((parsed) => parsed.paginator);
    expect(paginators).toEqual([
      { kind: 'offset', offsetParam: 'offset', limitParam: 'limit', resultCeilingReads: 'all' },
      { kind: 'cursor', cursorParam: 'cursor', nextCursorPath: 'paging.next.after', resultCeilingReads: 'all' },
      { kind: 'linkHeader', rel: 'next' },
      { kind: 'range', unit: 'items' },
    ]);
  });
});

describe('connectorSpec: an invalid spec lists every problem with its path', () => {
  it('names duplicate streams, bad dependencies, writes and patterns at once', () => {
    const problems = problemsOf(
      connectorSpec.safeParse(
        spec({
          headers: { Accept: 'application/json', Host: 'other.test' },
          errors: { rules: [{ code: '(unclosed', kind: 'fatal' }] },
          streams: [
            stream('contacts', { dependsOn: ['contacts', 'nowhere'], idPattern: '[a-', recordsPath: 'data..items' }),
            stream('contacts'),
            stream('deals', { path: 'accounts/{account}/deals', writes: { update: { path: 'deals' }, create: { path: 'deals/{owner}' } } }),
          ],
        }),
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'headers: must not set Authorization, Host, Cookie or framing headers',
        expect.stringMatching(/^errors\.rules\.0\.code: must be a regular expression/),
        'streams.0.idPattern: must be a regular expression',
        expect.stringMatching(/^streams\.0\.recordsPath: must be a dotted field path/),
        'streams.1.name: "contacts" is named twice',
        'streams.0.dependsOn.0: must name another stream of this spec, not "contacts"',
        'streams.0.dependsOn.1: must name another stream of this spec, not "nowhere"',
        'streams.2.writes.update.path: must contain `{id}` (or name the body field in `idInBody`)',
        'streams.2.path: must not contain placeholders',
        'streams.2.writes.create.path: must not contain placeholders',
      ]),
    );
    expect(problems).toHaveLength(10);
  });

  it('names a dependency cycle', () => {
    const problems = problemsOf(
      connectorSpec.safeParse(spec({ streams: [stream('a', { dependsOn: ['c'] }), stream('b', { dependsOn: ['a'] }), stream('c', { dependsOn: ['b'] })] })),
    );
    expect(problems).toEqual(['streams: dependsOn goes round in a circle: a → c → b → a']);
  });

  it('refuses each reserved header, whatever its case', () => {
    for (const name of ['Authorization', 'host', 'Content-Length', 'Transfer-Encoding', 'Connection', 'Content-Type', 'COOKIE']) {
      expect(problemsOf(connectorSpec.safeParse(spec({ headers: { [name]: 'x' } })))).toEqual(['headers: must not set Authorization, Host, Cookie or framing headers']);
    }
  });

  it('refuses field paths that are not plain dotted names', () => {
    for (const path of ['', '.data', 'data.', 'data[0]', 'a b', 'data.items.-1']) {
      const problems = problemsOf(connectorSpec.safeParse(spec({ streams: [stream('contacts', { recordsPath: path })] })));
      expect(problems).toEqual([expect.stringMatching(/^streams\.0\.recordsPath: must be a dotted field path/)]);
    }
  });

  it('names a connection-test stream the spec does not have', () => {
    expect(problemsOf(connectorSpec.safeParse(spec({ connectionTest: { stream: 'leads' } })))).toEqual(['connectionTest.stream: must name a stream of this spec, not "leads"']);
  });

  it('refuses stream and write paths that leave baseUrl, where the credentials would follow', () => {
    const leaving = ['/contacts', '../admin', 'a/../../b', '%2e%2E/admin', 'https://evil.test/x', 'http:evil.test/x', 'mailto:x'];
    for (const path of leaving) {
      const problems = problemsOf(connectorSpec.safeParse(spec({ streams: [stream('contacts', { path, writes: { update: { path: `${path}/{id}` } } })] })));
      expect([path, problems]).toEqual([
        path,
        ['streams.0.path: must be relative to baseUrl (no leading `/`, no `..`, no scheme)', 'streams.0.writes.update.path: must be relative to baseUrl (no leading `/`, no `..`, no scheme)'],
      ]);
    }
    expect(connectorSpec.safeParse(spec({ streams: [stream('contacts', { path: 'v2/contacts/../people', writes: { update: { path: 'people/{id}' } } })] })).success).toBe(true);
  });
});

describe('generic-rest settings', () => {
  const settings = (extra: Record<string, unknown> = {}, specExtra: Partial<ConnectorSpecInput> = {}) => ({ spec: spec(specExtra), ...extra });

  it('fill the base URL from variables and default the rest', () => {
    const parsed = genericRestSettingsSchema.parse(settings({ variables: { region: 'eu' } }, { baseUrl: 'https://{region}.api.acme.test/v2' }));
    expect(parsed).toMatchObject({ variables: { region: 'eu' }, timeoutMs: 30_000 });
  });

  it('name every variable the base URL needs and misses', () => {
    const problems = problemsOf(genericRestSettingsSchema.safeParse(settings({ variables: { region: 'eu' } }, { baseUrl: 'https://{tenant}.{region}.acme.test/{version}' })));
    expect(problems).toEqual(['variables.tenant: is required: spec.baseUrl uses {tenant}', 'variables.version: is required: spec.baseUrl uses {version}']);
  });

  it('refuse a base URL that is not http(s) once filled in', () => {
    const cases = [
      { baseUrl: '{root}/api', variables: { root: 'file:///etc' } },
      { baseUrl: '{root}/api', variables: { root: 'ftp://files.acme.test' } },
      { baseUrl: '{root}', variables: { root: 'api.acme.test' } },
      { baseUrl: 'https://{host}/v1', variables: { host: 'user:pw@api.acme.test' } },
      { baseUrl: 'https://api.acme.test/v1?key={key}', variables: { key: 'k' } },
    ];
    for (const { baseUrl, variables } of cases) {
      expect(problemsOf(genericRestSettingsSchema.safeParse(settings({ variables }, { baseUrl })))).toEqual([expect.stringMatching(/^spec\.baseUrl: must /)]);
    }
  });

  it('refuse headers that look like credentials, naming each', () => {
    const problems = problemsOf(genericRestSettingsSchema.safeParse(settings({}, { headers: { Accept: 'application/json', 'X-Api-Key': 'k', 'X-Session-Id': 's' } })));
    expect(problems).toEqual([
      'spec.headers.X-Api-Key: looks like a credential: put it in `credentials` (auth kind `apiKey`), which are kept secret',
      'spec.headers.X-Session-Id: looks like a credential: put it in `credentials` (auth kind `apiKey`), which are kept secret',
    ]);
  });
});

describe('credentialsSchemaOf', () => {
  const secret = 's3cret-value';
  const accepts = (auth: unknown, credentials: unknown) => credentialsSchemaOf(authSpec.parse(auth)).safeParse(credentials).success;

  it('takes nothing for no auth', () => {
    expect(accepts({ kind: 'none' }, {})).toBe(true);
    expect(accepts({ kind: 'none' }, { token: secret })).toBe(false);
  });

  it('takes the fields basic auth names, the password long enough to redact', () => {
    expect(accepts({ kind: 'basic' }, { username: 'ada', password: secret })).toBe(true);
    expect(accepts({ kind: 'basic' }, { username: 'ada', password: 'short' })).toBe(false);
    expect(accepts({ kind: 'basic', usernameField: 'user', passwordField: 'apiSecret' }, { user: 'ada', apiSecret: secret })).toBe(true);
    expect(accepts({ kind: 'basic', usernameField: 'user', passwordField: 'apiSecret' }, { username: 'ada', password: secret })).toBe(false);
  });

  it('takes apiKey for API keys and token for bearer tokens, nothing else', () => {
    for (const auth of [{ kind: 'apiKey', in: 'header', name: 'X-Api-Key' }, { kind: 'apiKey', in: 'query', name: 'api_key' }]) {
      expect(accepts(auth, { apiKey: secret })).toBe(true);
      expect(accepts(auth, { apiKey: secret, extra: 'x' })).toBe(false);
      expect(accepts(auth, { token: secret })).toBe(false);
    }
    expect(accepts({ kind: 'bearer' }, { token: secret })).toBe(true);
    expect(accepts({ kind: 'bearer' }, { token: '1234567' })).toBe(false);
  });

  it('requires a refresh token for the refresh_token grant only', () => {
    const oauth = (grant: string) => ({ kind: 'oauth2', grant, tokenUrl: 'https://auth.acme.test/token' });
    expect(accepts(oauth('refresh_token'), { clientId: 'id', clientSecret: secret, refreshToken: secret })).toBe(true);
    expect(accepts(oauth('refresh_token'), { clientId: 'id', clientSecret: secret })).toBe(false);
    expect(accepts(oauth('client_credentials'), { clientId: 'id', clientSecret: secret })).toBe(true);
  });

  it('lists the secret values to redact', () => {
    expect(secretValuesOf(authSpec.parse({ kind: 'bearer' }), { token: secret })).toEqual([secret]);
    expect(secretValuesOf(authSpec.parse({ kind: 'basic' }), { username: 'ada.lovelace', password: secret })).toEqual([secret, 'ada.lovelace']);
    expect(secretValuesOf(authSpec.parse({ kind: 'none' }), { token: secret })).toEqual([]);
  });

  it('refuses an API key header name that is not a header name', () => {
    expect(authSpec.safeParse({ kind: 'apiKey', in: 'header', name: 'X Api Key' }).success).toBe(false);
    expect(authSpec.safeParse({ kind: 'apiKey', in: 'query', name: 'api key' }).success).toBe(true);
  });
});

describe('failureKind', () => {
  const rules = (input: unknown[]) => input.map((rule) => errorRule.parse(rule));

  it('gives the usual meanings without rules, writes telling conflicts, missing records and refusals apart', () => {
    const usual = [
      [401, 'auth', 'auth'],
      [403, 'auth', 'auth'],
      [429, 'rateLimit', 'rateLimit'],
      [408, 'recoverable', 'recoverable'],
      [500, 'recoverable', 'recoverable'],
      [503, 'recoverable', 'recoverable'],
      [409, 'fatal', 'conflict'],
      [412, 'fatal', 'conflict'],
      [404, 'fatal', 'notFound'],
      [400, 'fatal', 'validation'],
      [422, 'fatal', 'validation'],
      [418, 'fatal', 'fatal'],
    ] as const;
    for (const [status, read, write] of usual) {
      expect([status, failureKind(status, undefined, [], 'read')]).toEqual([status, read]);
      expect([status, failureKind(status, undefined, [], 'write')]).toEqual([status, write]);
    }
  });

  it('applies the first matching rule', () => {
    const list = rules([
      { status: [400], code: '^rate_', kind: 'rateLimit' },
      { status: [400], kind: 'validation' },
      { status: [400], code: '^rate_', kind: 'fatal' },
    ]);
    expect(failureKind(400, 'rate_exceeded', list, 'read')).toBe('rateLimit');
    expect(failureKind(400, 'bad_field', list, 'read')).toBe('validation');
    expect(failureKind(400, undefined, list, 'read')).toBe('validation');
  });

  it('skips a rule with a code pattern when the answer has no code', () => {
    const list = rules([{ code: '.*', kind: 'quota' }]);
    expect(failureKind(403, undefined, list, 'read')).toBe('auth');
    expect(failureKind(403, 'anything', list, 'read')).toBe('quota');
  });

  it('applies a rule to reads, writes or both as it says', () => {
    const list = rules([
      { status: [410], on: 'read', kind: 'stateExpired' },
      { status: [410], on: 'write', kind: 'notFound' },
      { status: [403], code: 'DAILY_LIMIT', kind: 'quota' },
    ]);
    expect(failureKind(410, undefined, list, 'read')).toBe('stateExpired');
    expect(failureKind(410, undefined, list, 'write')).toBe('notFound');
    expect(failureKind(403, 'DAILY_LIMIT', list, 'read')).toBe('quota');
    expect(failureKind(403, 'DAILY_LIMIT', list, 'write')).toBe('quota');
  });

  it('tells errors apart by their message where a rule gives one, skipping it when the answer has none', () => {
    const list = rules([{ status: [429], message: 'daily limit', kind: 'quota' }]);
    expect(failureKind(429, undefined, list, 'read', 'You have reached your daily limit.')).toBe('quota');
    expect(failureKind(429, undefined, list, 'read', 'You have reached your secondly limit.')).toBe('rateLimit');
    expect(failureKind(429, undefined, list, 'read')).toBe('rateLimit');
  });

  it('matches codes over their first 200 characters only', () => {
    const list = rules([{ code: 'TAIL$', kind: 'quota' }]);
    expect(failureKind(400, `${'x'.repeat(195)}TAIL`, list, 'read')).toBe('quota');
    expect(failureKind(400, `${'x'.repeat(300)}TAIL`, list, 'read')).toBe('fatal');
  });
});

describe('regular expressions in a spec', () => {
  it('refuses nested repetition, which could take a worker exponential time, and keeps ordinary patterns', async () => {
    const { regexSource } = await import('../../../../shared/connectors/spec/regexSource.js');
    expect(regexSource.safeParse('^[1-9][0-9]*$').success).toBe(true);
    expect(regexSource.safeParse('(^|_)invalid_id$').success).toBe(true);
    const nested = regexSource.safeParse('^(a+)+$');
    expect(nested.error?.issues.map((issue) => issue.message)).toEqual([expect.stringContaining('exponential time')]);
    const broken = regexSource.safeParse('(unclosed');
    expect(broken.error?.issues.map((issue) => issue.message)).toEqual(['must be a regular expression']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizationCode, ClientCredentials, type ModuleOptions } from 'simple-oauth2';
import { request } from 'undici';
import { startFakeOAuthServer, type FakeOAuthServer } from '../../dev/fakes/fakeOAuthServer.js';

// simple-oauth2 (hapi's, the most used OAuth 2 client for Node; plain HTTP to 127.0.0.1 allowed,
// no discovery document needed) drives the fake as it drives real servers.
let fake: FakeOAuthServer;
let config: ModuleOptions;

beforeAll(async () => {
  fake = await startFakeOAuthServer({ clientId: 'client-1', clientSecret: 'secret 1/+', accessTokenSeconds: 1 });
  config = { client: { id: 'client-1', secret: 'secret 1/+' }, auth: { tokenHost: fake.url, tokenPath: '/oauth/token' }, options: { authorizationMethod: 'header' } };
});
afterAll(() => fake.close());

const callResource = async (accessToken: string) => (await request(fake.resourceUrl, { headers: { authorization: `Bearer ${accessToken}` } })).statusCode;

/** simple-oauth2 throws hapi Boom errors carrying the server's answer. */
const refusal = (error: unknown) => {
  const boom = error as { output?: { statusCode?: number }; data?: { payload?: unknown } };
  return { status: boom.output?.statusCode, payload: boom.data?.payload };
};

describe('fake OAuth server, driven by simple-oauth2', () => {
  it('issues client_credentials tokens (Basic client authentication) that the resource accepts, without a refresh token', async () => {
    const token = await new ClientCredentials(config).getToken({});
    expect(token.token.refresh_token).toBeUndefined();
    expect(await callResource(token.token.access_token as string)).toBe(200);
  });

  it('accepts client credentials in the body too', async () => {
    const token = await new ClientCredentials({ ...config, options: { authorizationMethod: 'body' } }).getToken({});
    expect(await callResource(token.token.access_token as string)).toBe(200);
  });

  it('expires access tokens after the configured seconds', async () => {
    const token = await new ClientCredentials(config).getToken({});
    expect(token.expired()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(token.expired()).toBe(true);
    expect(await callResource(token.token.access_token as string)).toBe(401);
  });

  it('rotates refresh tokens, and a reused one is invalid_grant and revokes the family', async () => {
    const client = new AuthorizationCode(config);
    const first = client.createToken({ refresh_token: fake.issueRefreshToken(), access_token: 'none', expires_in: 0 });
    const second = await first.refresh();
    expect(second.token.refresh_token).not.toBe(first.token.refresh_token);
    expect(await callResource(second.token.access_token as string)).toBe(200);

    const reuse = await first.refresh().catch(refusal);
    expect(reuse).toMatchObject({ status: 400, payload: { error: 'invalid_grant' } });
    // The family is gone: the live token and its access token too.
    expect(fake.liveRefreshToken()).toBeUndefined();
    expect(await second.refresh().catch(refusal)).toMatchObject({ status: 400, payload: { error: 'invalid_grant' } });
    expect(await callResource(second.token.access_token as string)).toBe(401);
  });

  it('answers a wrong client secret with 401 invalid_client', async () => {
    const wrong = new ClientCredentials({ ...config, client: { id: 'client-1', secret: 'nope' } });
    expect(await wrong.getToken({}).catch(refusal)).toMatchObject({ status: 401, payload: { error: 'invalid_client' } });
  });

  it('refuses a missing bearer token at the resource', async () => {
    expect((await request(fake.resourceUrl)).statusCode).toBe(401);
  });
});

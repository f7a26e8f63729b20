import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, UnsecuredJWT } from 'jose';
import { EntraTokenVerifier } from '../../shared/adapters/azure/entraTokenVerifier.js';
import { InvalidTokenError } from '../../shared/ports/invalidTokenError.js';
import { startFakeEntraId, type FakeEntraId } from '../../dev/fakes/fakeEntraId.js';

/** The verifier against a fake Entra ID on 127.0.0.1: real RS256 tokens, a real JWKS over HTTP. */
describe('Entra ID bearer tokens', () => {
  let entra: FakeEntraId;
  let verifier: EntraTokenVerifier;
  beforeAll(async () => {
    entra = await startFakeEntraId();
    verifier = new EntraTokenVerifier({ issuers: [entra.issuer], audiences: [entra.audience], jwksUrl: entra.jwksUrl, clockToleranceSeconds: 5 });
  });
  afterAll(() => entra.close());

  const refused = async (token: string) => {
    const error = await verifier.verify(token).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTokenError);
    return (error as InvalidTokenError).reason;
  };

  it('accepts a token of the issuer for the audience and returns its claims', async () => {
    const claims = await verifier.verify(await entra.issueToken({ oid: 'o-1', roles: ['Sync.Reader'], tenants: ['t1'] }));
    expect(claims).toMatchObject({ oid: 'o-1', roles: ['Sync.Reader'], shardsync_tenants: ['t1'], iss: entra.issuer, aud: entra.audience });
  });

  it('refuses an expired token, one not valid yet, another audience and another issuer', async () => {
    expect(await refused(await entra.issueToken({ oid: 'o-1' }, { expiresIn: -60 }))).toBe('ERR_JWT_EXPIRED');
    expect(await refused(await entra.issueToken({ oid: 'o-1' }, { notBefore: 600 }))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
    expect(await refused(await entra.issueToken({ oid: 'o-1' }, { audience: 'api://someone-else' }))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
    expect(await refused(await entra.issueToken({ oid: 'o-1' }, { issuer: 'https://login.microsoftonline.com/other/v2.0' }))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  it('refuses forged tokens: signed by a key the issuer does not publish, tampered, unsigned, or HMAC-signed', async () => {
    await refused(await entra.issueToken({ oid: 'o-1', roles: ['Sync.Admin'] }, { foreignKey: true }));
    const [header, payload, signature] = (await entra.issueToken({ oid: 'o-1', roles: ['Sync.Reader'] })).split('.');
    const elevated = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), roles: ['Sync.Admin'] })).toString('base64url');
    await refused(`${header}.${elevated}.${signature}`);
    const now = Math.floor(Date.now() / 1000);
    await refused(new UnsecuredJWT({ oid: 'o-1' }).setIssuer(entra.issuer).setAudience(entra.audience).setExpirationTime(now + 60).encode());
    const hmac = await new SignJWT({ oid: 'o-1' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(entra.issuer).setAudience(entra.audience).setExpirationTime(now + 60).sign(new TextEncoder().encode('x'.repeat(32)));
    await refused(hmac);
    await refused('not-a-token');
  });

  it('fetches the signing keys once for many tokens, and again when the issuer rotates to a key it has not seen', async () => {
    const fresh = new EntraTokenVerifier({ issuers: [entra.issuer], audiences: [entra.audience], jwksUrl: entra.jwksUrl, refetchCooldownMs: 0 });
    const before = entra.jwksRequests();
    for (let i = 0; i < 20; i++) await fresh.verify(await entra.issueToken({ oid: `o-${i}` }));
    expect(entra.jwksRequests() - before).toBe(1);
    await entra.rotateSigningKey();
    await fresh.verify(await entra.issueToken({ oid: 'after-rotation' }));
    expect(entra.jwksRequests() - before).toBe(2);
  });
});

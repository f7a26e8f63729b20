import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import { EntraTokenVerifier } from '../../../../shared/adapters/azure/entraTokenVerifier.js';
import { authenticate } from '../../../../shared/sync/access/authenticate.js';
import type { AccessSettings } from '../../../../shared/sync/access/accessSettings.js';
import { UnauthenticatedError } from '../../../../shared/sync/access/unauthenticatedError.js';
import type { SyncDeps } from '../../../../shared/sync/syncDeps.js';
import { startFakeEntraId, type FakeEntraId } from '../../../../dev/fakes/fakeEntraId.js';
import { embeddedDeps } from '../embeddedDeps.js';

/** What App Service authentication puts in front of a signed-in caller's request. */
const appServicePrincipal = (objectId: string, roles: string[]) =>
  Buffer.from(JSON.stringify({
    auth_typ: 'aad',
    name_typ: 'name',
    role_typ: 'roles',
    claims: [{ typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: objectId }, ...roles.map((val) => ({ typ: 'roles', val }))],
  })).toString('base64');

describe('authenticating a caller', () => {
  let db: SqliteDatabase | undefined;
  let entra: FakeEntraId;
  beforeAll(async () => {
    entra = await startFakeEntraId();
  });
  afterAll(() => entra.close());
  afterEach(() => db?.close());

  const depsWith = (access: Partial<AccessSettings> | undefined): SyncDeps => {
    db = openDatabase(':memory:');
    const deps = embeddedDeps(db);
    return access === undefined ? deps : { ...deps, access: { disabled: false, tenantsClaim: 'shardsync_tenants', trustAppServicePrincipal: false, ...access } };
  };
  const refused = async (deps: SyncDeps, headers: Record<string, string>) =>
    expect(await authenticate(deps, new Headers(headers)).then(() => 'accepted', (error: unknown) => error)).toBeInstanceOf(UnauthenticatedError);

  it('fails closed: without access settings nobody gets in, whatever they send', async () => {
    const deps = depsWith(undefined);
    await refused(deps, {});
    await refused(deps, { authorization: `Bearer ${await entra.issueToken({ oid: 'o', roles: ['Sync.Admin'] })}` });
    await refused(deps, { 'x-ms-client-principal': appServicePrincipal('o', ['Sync.Admin']) });
  });

  it('a valid Entra ID token is the person it names; a token is refused where no verifier is configured', async () => {
    const verifier = new EntraTokenVerifier({ issuers: [entra.issuer], audiences: [entra.audience], jwksUrl: entra.jwksUrl });
    const token = await entra.issueToken({ oid: 'o-7', roles: ['Sync.Operator'], tenants: ['t1'], name: 'Ola' });
    expect(await authenticate(depsWith({ tokenVerifier: verifier }), new Headers({ authorization: `Bearer ${token}` }))).toEqual({
      kind: 'entra', id: 'entra:o-7', objectId: 'o-7', name: 'Ola', role: 'Sync.Operator', tenants: ['t1'],
    });
    await refused(depsWith({}), { authorization: `Bearer ${token}` });
    await refused(depsWith({ tokenVerifier: verifier }), { authorization: `Bearer ${await entra.issueToken({ roles: ['Sync.Admin'] })}` });
    await refused(depsWith({ tokenVerifier: verifier }), { authorization: `Token ${token}` });
  });

  it('App Service\'s principal header counts only where the settings say App Service authentication fronts the app', async () => {
    const header = { 'x-ms-client-principal': appServicePrincipal('o-9', ['Sync.Reader']) };
    await refused(depsWith({}), header);
    expect(await authenticate(depsWith({ trustAppServicePrincipal: true }), new Headers(header))).toMatchObject({ id: 'entra:o-9', role: 'Sync.Reader' });
    await refused(depsWith({ trustAppServicePrincipal: true }), { 'x-ms-client-principal': 'bm90IGEgcHJpbmNpcGFs' });
  });

  it('development mode lets everyone in as an admin of every tenant', async () => {
    expect(await authenticate(depsWith({ disabled: true }), new Headers())).toMatchObject({ kind: 'development', role: 'Sync.Admin', tenants: '*' });
  });
});

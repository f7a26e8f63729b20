import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/configError.js';
import { loadConfig } from '../../shared/config.js';

/** The adapters' settings a deployment in Azure has (identity-based: no keys or connection strings). */
const AZURE_ADAPTERS = {
  SHARDSYNC_STORE: 'cosmos',
  SHARDSYNC_BUS: 'servicebus',
  SHARDSYNC_SECRETS: 'keyvault',
  COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/',
  ServiceBusConnection__fullyQualifiedNamespace: 'ns.servicebus.windows.net',
  KEY_VAULT_URL: 'https://vault.vault.azure.net/',
};

describe('settings', () => {
  it('defaults run everything on embedded adapters', () => {
    expect(loadConfig({})).toMatchObject({
      SHARDSYNC_STORE: 'embedded',
      SHARDSYNC_BUS: 'embedded',
      SHARDSYNC_SECRETS: 'local',
      SHARDSYNC_DATA_DIR: '.data',
      SHARDSYNC_PORT: 7071,
      COSMOS_DATABASE: 'shardsync',
      COSMOS_ENSURE: false,
    });
  });

  it('refuses to start with one message naming every bad or missing setting', () => {
    let error: unknown;
    try {
      loadConfig({ SHARDSYNC_PORT: 'eighty', SHARDSYNC_STORE: 'cosmos', SHARDSYNC_BUS: 'servicebus', SHARDSYNC_SECRETS: 'keyvault', COSMOS_ENSURE: 'yes' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['SHARDSYNC_PORT', 'COSMOS_ENSURE', 'COSMOS_ENDPOINT', 'ServiceBusConnection', 'KEY_VAULT_URL']) {
      expect(problems).toContain(name);
    }
    expect((error as ConfigError).message).toMatch(/^invalid settings:\n {2}- /);
  });

  it('accepts identity-based Azure settings', () => {
    const config = loadConfig(AZURE_ADAPTERS);
    expect(config.COSMOS_KEY).toBeUndefined();
    expect(config.ServiceBusConnection__fullyQualifiedNamespace).toBe('ns.servicebus.windows.net');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ SHARDSYNC_PORT: '', COSMOS_KEY: '' })).toMatchObject({ SHARDSYNC_PORT: 7071 });
  });

  it('refuses the embedded defaults when running in Azure', () => {
    expect(() => loadConfig({ WEBSITE_INSTANCE_ID: 'abc' })).toThrow(/SHARDSYNC_STORE: must be "cosmos"[\s\S]*SHARDSYNC_BUS[\s\S]*SHARDSYNC_SECRETS/);
  });

  describe('authentication settings', () => {
    const azure = { ...AZURE_ADAPTERS, WEBSITE_INSTANCE_ID: 'abc' };

    it('Azure needs a way to authenticate people, and never runs without authentication', () => {
      expect(() => loadConfig(azure)).toThrow(/SHARDSYNC_ENTRA_TENANT_ID: Azure needs a way to authenticate people/);
      const entra = { ...azure, SHARDSYNC_ENTRA_TENANT_ID: 'contoso.onmicrosoft.com', SHARDSYNC_ENTRA_AUDIENCE: 'api://shardsync' };
      expect(loadConfig(entra)).toMatchObject({ SHARDSYNC_AUTH_DISABLED: false, SHARDSYNC_ENTRA_TENANTS_CLAIM: 'shardsync_tenants' });
      expect(() => loadConfig({ ...entra, SHARDSYNC_AUTH_DISABLED: 'true' })).toThrow(/SHARDSYNC_AUTH_DISABLED: authentication cannot be switched off in Azure/);
      expect(loadConfig({ SHARDSYNC_AUTH_DISABLED: 'true' }).SHARDSYNC_AUTH_DISABLED).toBe(true);
    });

    it('the App Service principal header is trusted only where the platform runs App Service authentication', () => {
      expect(() => loadConfig({ SHARDSYNC_TRUST_APP_SERVICE_AUTH: 'true' })).toThrow(/SHARDSYNC_TRUST_APP_SERVICE_AUTH: only where App Service authentication is on/);
      expect(loadConfig({ ...azure, SHARDSYNC_TRUST_APP_SERVICE_AUTH: 'true', WEBSITE_AUTH_ENABLED: 'True' }).SHARDSYNC_TRUST_APP_SERVICE_AUTH).toBe(true);
    });

    it('Entra ID tokens need an audience and a tenant (or an explicit issuer and key URL)', () => {
      expect(() => loadConfig({ SHARDSYNC_ENTRA_TENANT_ID: 'contoso' })).toThrow(/SHARDSYNC_ENTRA_AUDIENCE: required/);
      expect(() => loadConfig({ SHARDSYNC_ENTRA_AUDIENCE: 'api://x' })).toThrow(/SHARDSYNC_ENTRA_TENANT_ID: required/);
      expect(loadConfig({ SHARDSYNC_ENTRA_AUDIENCE: 'api://x', SHARDSYNC_ENTRA_ISSUER: 'http://127.0.0.1:1/t/v2.0', SHARDSYNC_ENTRA_JWKS_URL: 'http://127.0.0.1:1/keys' }).SHARDSYNC_ENTRA_AUDIENCE).toBe('api://x');
    });
  });

  it('allows no internal outbound destination unless SHARDSYNC_OUTBOUND_ALLOW lists it', () => {
    expect(loadConfig({}).SHARDSYNC_OUTBOUND_ALLOW).toEqual({ hostNames: [], ranges: [] });
    const allowed = loadConfig({ SHARDSYNC_OUTBOUND_ALLOW: '127.0.0.1, store.dev.example' }).SHARDSYNC_OUTBOUND_ALLOW;
    expect(allowed.hostNames).toEqual(['store.dev.example']);
    expect(allowed.ranges.map(([address, bits]) => `${address.toString()}/${bits}`)).toEqual(['127.0.0.1/32']);
  });

  it('refuses to start with an allow-list entry that is no address, range or host name', () => {
    expect(() => loadConfig({ SHARDSYNC_OUTBOUND_ALLOW: '127.0.0.1,10.0.0.0/33' })).toThrow(
      /SHARDSYNC_OUTBOUND_ALLOW: "10\.0\.0\.0\/33" is not an IP address, a CIDR range or a host name/,
    );
  });
});

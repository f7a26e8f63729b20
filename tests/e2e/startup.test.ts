import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiClient } from './apiClient.js';
import { startHostProcess } from './hostProcess.js';

describe('host start-up', () => {
  it('refuses to start on bad settings, naming each one', async () => {
    await expect(startHostProcess({ SHARDSYNC_PORT: 'eighty', SHARDSYNC_STORE: 'cosmos' })).rejects.toThrow(
      /exited with 1[\s\S]*invalid settings:[\s\S]*SHARDSYNC_PORT[\s\S]*COSMOS_ENDPOINT/,
    );
  });

  it('makes the admin key on the first start, prints it that once, and keeps it private in the data directory', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'shardsync-key-'));
    try {
      const first = await startHostProcess({ SHARDSYNC_DATA_DIR: dataDir });
      await first.stop();
      expect(first.output()).toContain(`admin key (shown once; kept in ${join(dataDir, 'admin.key')}): ${first.adminKey}`);
      expect((await stat(join(dataDir, 'admin.key'))).mode & 0o777).toBe(0o600);

      const second = await startHostProcess({ SHARDSYNC_DATA_DIR: dataDir });
      try {
        expect(second.adminKey).toBe(first.adminKey);
        expect(second.output()).not.toContain(first.adminKey);
        const api = apiClient(second.url, second.adminKey);
        expect((await api.request('PUT', 'tenants/t1', {})).status).toBe(201);
        expect((await api.as(undefined).request('GET', 'tenants/t1')).status).toBe(401);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('with authentication switched off for development it says so loudly and lets anyone in', async () => {
    const host = await startHostProcess({ SHARDSYNC_AUTH_DISABLED: 'true' });
    try {
      expect(host.output()).toMatch(/AUTHENTICATION IS OFF \(SHARDSYNC_AUTH_DISABLED=true\)/);
      expect(host.adminKey).toBeUndefined();
      const anyone = apiClient(host.url);
      expect((await anyone.request('PUT', 'tenants/t1', {})).status).toBe(201);
      expect(await anyone.ok('GET', 'tenants/t1')).toMatchObject({ id: 't1' });
    } finally {
      await host.stop();
    }
  });
});

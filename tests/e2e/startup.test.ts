import { describe, expect, it } from 'vitest';
import { startHostProcess } from './hostProcess.js';

describe('host start-up', () => {
  it('refuses to start on bad settings, naming each one', async () => {
    await expect(startHostProcess({ SHARDSYNC_PORT: 'eighty', SHARDSYNC_STORE: 'cosmos' })).rejects.toThrow(
      /exited with 1[\s\S]*invalid settings:[\s\S]*SHARDSYNC_PORT[\s\S]*COSMOS_ENDPOINT/,
    );
  });
});

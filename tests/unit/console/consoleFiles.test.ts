import { describe, expect, it } from 'vitest';
import { consoleFile } from '../../../functions/http/consoleFiles.js';

/** Which file a `console/{*path}` request reads: only the built console's own files, never anything beside it. */
describe('consoleFile', () => {
  const root = '/srv/app/dist/console/';

  it('serves the page for an empty path and built assets by name', () => {
    expect(consoleFile(root, undefined)).toBe('/srv/app/dist/console/index.html');
    expect(consoleFile(root, '')).toBe('/srv/app/dist/console/index.html');
    expect(consoleFile(root, 'assets/index-DhS6qcgq.js')).toBe('/srv/app/dist/console/assets/index-DhS6qcgq.js');
    expect(consoleFile('/srv/app/dist/console', 'assets/index-LvkKdzok.css')).toBe('/srv/app/dist/console/assets/index-LvkKdzok.css');
  });

  it.each([
    '../package.json',
    'assets/../../package.json',
    '..',
    '/etc/passwd.json',
    'assets//index.js',
    '.env.json',
    'assets/.hidden.js',
    '..\\..\\package.json',
    'a\\b.js',
    'index.html\u0000.js',
    '%2e%2e/package.json',
    'server.ts',
    'index',
    'assets/index.js.map',
    'assets/x.constructor',
  ])('refuses %j', (path) => {
    expect(consoleFile(root, path)).toBeUndefined();
  });
});

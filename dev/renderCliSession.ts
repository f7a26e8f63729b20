import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

/**
 * docs/cli-session.txt (a real session, captured by `SHARDSYNC_CLI_CAPTURE=1 npx vitest run
 * tests/e2e/cli.test.ts`) drawn as a terminal into docs/cli-session.png for the README, with
 * Debian's chromium. Run: `npm run build && node dist/dev/renderCliSession.js`.
 */
const escapeHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

const session = await readFile('docs/cli-session.txt', 'utf8');
const browser = await chromium.launch({ executablePath: process.env.SHARDSYNC_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 400 } });
  await page.setContent(
    `<body style="margin:0;background:#1e1e1e"><pre style="margin:0;padding:16px;color:#e6e6e6;font:13px/1.35 'DejaVu Sans Mono',monospace;white-space:pre">${escapeHtml(session)}</pre></body>`,
  );
  await page.locator('pre').screenshot({ path: 'docs/cli-session.png' });
} finally {
  await browser.close();
}

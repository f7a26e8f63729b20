import { execFile } from 'node:child_process';
import { projectDir } from './hostProcess.js';

export interface CliResult {
  command: string;
  code: number;
  stdout: string;
  stderr: string;
}

/** An argument as a shell would need it typed, for the session capture. */
const shellQuoted = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/** Runs the built CLI (`node dist/cli/main.js …`) as a user would, with `env` on top of a clean one. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['dist/cli/main.js', ...args],
      // Not the test process's environment: a SHARDSYNC_* of the developer's must not leak in.
      { cwd: projectDir, env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ command: `shardsync ${args.map(shellQuoted).join(' ')}`, code, stdout, stderr });
      },
    );
  });
}

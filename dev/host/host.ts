/**
 * The local Functions host: load the app's function files, then drive them — HTTP, timers, queues —
 * until stop(). Stopping is graceful within 10 s: intake stops at once, running handlers get
 * `drainTimeoutMs`, queue messages still running after that are abandoned, then onStop runs.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { QueueConsumer } from '../../shared/ports/queueConsumer.js';
import { registeredHooks, setCoreLogSink } from './functionsCore.js';
import { hostConfigFrom, withJobHostOverrides, type HostConfig } from './hostConfig.js';
import { startHttpServer } from './httpServer.js';
import { httpStreamUri } from './httpStreamProxy.js';
import { createInvoker } from './invoker.js';
import { loadFunctionFiles, type LoadedFunction } from './loadFunctions.js';
import { startQueues } from './queueRunner.js';
import { startTimers } from './timerRunner.js';

export interface HostOptions {
  projectDir: string;
  /** 0 picks a free port. */
  port: number;
  consumer: QueueConsumer;
  /** App settings for `%NAME%` references and WEBSITE_TIME_ZONE; defaults to process.env. */
  settings?: Record<string, string | undefined>;
  log?: (line: string) => void;
  /** Runs last in stop(), e.g. to close the database behind the consumer. */
  onStop?: () => Promise<void>;
  /** How long stop() lets running handlers finish; default 8 s. */
  drainTimeoutMs?: number;
}

export interface RunningHost {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  registrations: readonly LoadedFunction[];
  config: HostConfig;
  stop(): Promise<void>;
}

const defaultDrainTimeoutMs = 8_000;

function defaultLog(line: string): void {
  console.log(`${new Date().toISOString()} ${line}`);
}

async function readHostJson(projectDir: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path.join(projectDir, 'host.json'), 'utf8')) as unknown;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

async function runAppHooks(name: 'appStart' | 'appTerminate', projectDir: string): Promise<void> {
  const context = { hookData: {}, appHookData: {}, functionAppDirectory: projectDir };
  for (const hook of registeredHooks(name)) await hook(context);
}

const withStreamUri = (streamUri: string | undefined) => (streamUri === undefined ? {} : { streamUri });

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const log = options.log ?? defaultLog;
  const settings = options.settings ?? process.env;
  setCoreLogSink(log);
  const config = hostConfigFrom(withJobHostOverrides(await readHostJson(options.projectDir), process.env));
  const app = await loadFunctionFiles(options.projectDir, settings);
  for (const warning of app.warnings) log(`warning: ${warning}`);
  const invoke = createInvoker(app.programmingModel, log);
  await runAppHooks('appStart', options.projectDir);

  const http = await startHttpServer({
    port: options.port,
    routePrefix: config.routePrefix,
    functions: app.functions,
    invoke,
    log,
    ...withStreamUri(await httpStreamUri(app.programmingModel)),
  });
  const timers = startTimers({ functions: app.functions, invoke, log, timeZone: settings['WEBSITE_TIME_ZONE'] ?? 'UTC' });
  const queues = startQueues({
    functions: app.functions,
    consumer: options.consumer,
    invoke,
    log,
    maxConcurrentCalls: config.maxConcurrentCalls,
    maxAutoLockRenewalMs: config.maxAutoLockRenewalMs,
  });

  const url = `http://127.0.0.1:${http.port}`;
  for (const fn of app.functions) {
    const detail =
      fn.trigger === 'httpTrigger'
        ? `[${fn.methods?.join(',')}] ${url}/${config.routePrefix ? `${config.routePrefix}/` : ''}${fn.route}`
        : fn.trigger === 'timerTrigger'
          ? `timer ${fn.schedule}`
          : `queue ${fn.queueName}`;
    log(`${fn.name}: ${detail}`);
  }

  let stopping: Promise<void> | undefined;
  async function stop(): Promise<void> {
    const deadline = Date.now() + (options.drainTimeoutMs ?? defaultDrainTimeoutMs);
    await Promise.all([queues.stop(deadline), timers.stop(deadline), http.stop(deadline)]);
    await runAppHooks('appTerminate', options.projectDir).catch((error: unknown) => log(`appTerminate hook failed: ${String(error)}`));
    await options.onStop?.();
  }

  return {
    url,
    port: http.port,
    registrations: app.functions,
    config,
    stop: () => (stopping ??= stop()),
  };
}

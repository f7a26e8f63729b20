/** Load a function app's compiled files exactly as the Node worker does and collect what they register. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  capturedFunctions,
  capturedProgrammingModel,
  installFunctionsCore,
  type CapturedFunction,
  type ProgrammingModel,
  type RpcBindingInfo,
} from './functionsCore.js';
import { describeFunction, unsupportedOutputs, type FunctionDescription, type Settings } from './functionDescription.js';

export interface LoadedFunction extends FunctionDescription {
  bindings: Record<string, RpcBindingInfo>;
  triggerBindingName: string;
  captured: CapturedFunction;
}

export interface LoadedApp {
  files: string[];
  functions: LoadedFunction[];
  programmingModel: ProgrammingModel;
  /** Registrations the local host cannot drive (unsupported triggers or output bindings), as messages. */
  warnings: string[];
}

/** Pure: does a file name match a pattern whose only wildcard is `*`? */
export function matchesFileNamePattern(pattern: string, fileName: string): boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[^/]*')}$`).test(fileName);
}

/** The files package.json `main` names; `*` is allowed in the file-name part only (Node 20 has no fs.glob). */
export async function mainFiles(projectDir: string): Promise<string[]> {
  const pkg = JSON.parse(await readFile(path.join(projectDir, 'package.json'), 'utf8')) as { main?: unknown };
  if (typeof pkg.main !== 'string') throw new Error(`${projectDir}/package.json has no "main"`);
  const main = path.resolve(projectDir, pkg.main);
  const dir = path.dirname(main);
  const pattern = path.basename(main);
  if (dir.includes('*')) throw new Error(`package.json "main" may use "*" only in the file name: ${pkg.main}`);
  if (!pattern.includes('*')) return [main];
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && matchesFileNamePattern(pattern, e.name))
    .map((e) => path.join(dir, e.name))
    .sort();
}

/** ESM imports run once per process, so an app's registrations are kept for later hosts of the same app. */
const loadedApps = new Map<string, Promise<LoadedApp>>();

/**
 * Import each function file once and describe what it registered. A second call for the same
 * project in the same process (e.g. a host restarted in-process) returns the first load.
 */
export function loadFunctionFiles(projectDir: string, settings: Settings = process.env): Promise<LoadedApp> {
  const key = path.resolve(projectDir);
  let loaded = loadedApps.get(key);
  if (!loaded) {
    loaded = importFunctionFiles(key, settings);
    loadedApps.set(key, loaded);
    loaded.catch(() => loadedApps.delete(key));
  }
  return loaded;
}

async function importFunctionFiles(projectDir: string, settings: Settings): Promise<LoadedApp> {
  installFunctionsCore();
  const files = await mainFiles(projectDir);
  const before = capturedFunctions().length;
  for (const file of files) {
    await import(/* @vite-ignore */ pathToFileURL(file).href);
  }
  const captured = capturedFunctions().slice(before);
  const programmingModel = capturedProgrammingModel();
  if (!programmingModel) throw new Error(`no function registered by ${files.length} file(s) under ${projectDir}`);
  const functions: LoadedFunction[] = [];
  const warnings: string[] = [];
  for (const registration of captured) {
    const described = describeFunction(registration.metadata, settings);
    if (!described.supported) {
      warnings.push(`function "${registration.metadata.name}": trigger ${described.triggerType} is not supported locally; skipped`);
      continue;
    }
    for (const output of unsupportedOutputs(registration.metadata)) {
      warnings.push(`function "${registration.metadata.name}": output binding ${output} is not supported locally; its values are dropped`);
    }
    functions.push({
      ...described.description,
      bindings: registration.metadata.bindings,
      triggerBindingName: described.triggerBindingName,
      captured: registration,
    });
  }
  return { files, functions, programmingModel, warnings };
}

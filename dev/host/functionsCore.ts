/**
 * The `@azure/functions-core` module, as the Azure Functions Node worker provides it.
 * `@azure/functions` looks it up with a plain `require` on the first `app.*` call and caches a
 * failed lookup forever, so the hook must be installed before any function file is imported.
 * The state lives on globalThis so that every copy of this module (and every load of a function
 * file in the same process) talks to one registry.
 */
import Module from 'node:module';

/** RPC TypedData: one of the fields is set. */
export interface RpcTypedData {
  string?: string;
  json?: string;
  bytes?: Uint8Array;
  int?: number;
  double?: number;
  http?: RpcHttpData;
}

export interface RpcHttpCookie {
  name: string;
  value: string;
  domain?: { value: string };
  path?: { value: string };
  expires?: { value: { seconds: number } };
  secure?: { value: boolean };
  httpOnly?: { value: boolean };
  sameSite?: 'none' | 'lax' | 'strict' | 'explicitNone';
  maxAge?: { value: number };
}

export interface RpcHttpData {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: RpcTypedData;
  statusCode?: string;
  cookies?: RpcHttpCookie[];
}

export interface RpcBindingInfo {
  type?: string;
  direction?: 'in' | 'out' | 'inout';
  [option: string]: unknown;
}

export interface RpcFunctionMetadata {
  name: string;
  bindings: Record<string, RpcBindingInfo>;
  retryOptions?: unknown;
}

export interface RpcParameterBinding {
  name: string;
  data: RpcTypedData;
}

export interface RpcInvocationRequest {
  invocationId: string;
  functionId: string;
  inputData: RpcParameterBinding[];
  triggerMetadata: Record<string, RpcTypedData>;
}

export interface RpcInvocationResponse {
  invocationId: string;
  outputData?: RpcParameterBinding[];
  returnValue?: RpcTypedData | null;
}

export type InvocationState = 'preInvocationHooks' | 'postInvocationHooks' | 'invocation' | undefined;

export interface CoreInvocationContext {
  invocationId: string;
  request: RpcInvocationRequest;
  metadata: RpcFunctionMetadata;
  state: InvocationState;
  log(level: string, category: string, message: string): void;
}

export interface InvocationArguments {
  context: unknown;
  inputs: unknown[];
}

export interface InvocationModel {
  getArguments(): Promise<InvocationArguments>;
  invokeFunction(context: unknown, inputs: unknown[], handler: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<RpcInvocationResponse>;
}

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreCtx: CoreInvocationContext): InvocationModel;
  /** The worker asks once at start; with `app.setup({ enableHttpStream: true })` the answer names the library's HTTP proxy (`HttpUri`). */
  getCapabilities?(workerCapabilities: Record<string, string>): Promise<Record<string, string>>;
}

export type FunctionCallback = (...args: unknown[]) => unknown;
export type HookCallback = (context: Record<string, unknown>) => unknown;
export type HookName = 'preInvocation' | 'postInvocation' | 'appStart' | 'appTerminate' | 'log';

export interface CapturedFunction {
  metadata: RpcFunctionMetadata;
  handler: FunctionCallback;
}

class Disposable {
  #onDispose: (() => void) | undefined;
  constructor(onDispose: () => void) {
    this.#onDispose = onDispose;
  }
  dispose(): void {
    this.#onDispose?.();
    this.#onDispose = undefined;
  }
}

interface CoreState {
  functions: CapturedFunction[];
  programmingModel: ProgrammingModel | undefined;
  hooks: Map<HookName, Set<HookCallback>>;
  logSink: (line: string) => void;
  api: object;
}

const stateKey = Symbol.for('shardsync.dev.functionsCore');
const coreModuleName = '@azure/functions-core';
const hostVersion = '4.1000.0';

function createState(): CoreState {
  const state: CoreState = {
    functions: [],
    programmingModel: undefined,
    hooks: new Map(),
    logSink: (line) => console.log(line),
    api: {},
  };
  state.api = {
    version: '3.11.0',
    hostVersion,
    Disposable,
    registerFunction(metadata: RpcFunctionMetadata, handler: FunctionCallback): Disposable {
      const captured: CapturedFunction = {
        metadata: { name: metadata.name, bindings: metadata.bindings, retryOptions: metadata.retryOptions },
        handler,
      };
      state.functions.push(captured);
      return new Disposable(() => {
        state.functions = state.functions.filter((f) => f !== captured);
      });
    },
    setProgrammingModel(model: ProgrammingModel): void {
      state.programmingModel = model;
    },
    getProgrammingModel(): ProgrammingModel | undefined {
      return state.programmingModel;
    },
    registerHook(name: HookName, callback: HookCallback): Disposable {
      const set = state.hooks.get(name) ?? new Set<HookCallback>();
      state.hooks.set(name, set);
      set.add(callback);
      return new Disposable(() => set.delete(callback));
    },
    log(level: string, category: string, message: string): void {
      // The host's default filter ("Information"): the library's debug lines stay out.
      if (level === 'debug' || level === 'trace') return;
      state.logSink(`[${category}:${level}] ${message}`);
    },
  };
  return state;
}

function coreState(): CoreState {
  const holder = globalThis as unknown as Record<symbol, CoreState | undefined>;
  const existing = holder[stateKey];
  if (existing) return existing;
  const created = createState();
  holder[stateKey] = created;
  return created;
}

/** Answer `require('@azure/functions-core')` process-wide. Idempotent. */
export function installFunctionsCore(): void {
  const state = coreState();
  const proto = Module.prototype as unknown as { require: (this: unknown, id: string) => unknown };
  const installedKey = Symbol.for('shardsync.dev.functionsCore.installed');
  const marker = proto.require as unknown as Record<symbol, boolean>;
  if (marker[installedKey]) return;
  const original = proto.require;
  const wrapped = function (this: unknown, id: string): unknown {
    return id === coreModuleName ? state.api : original.call(this, id);
  };
  (wrapped as unknown as Record<symbol, boolean>)[installedKey] = true;
  proto.require = wrapped;
}

/** Every function registered in this process so far, in registration order. */
export function capturedFunctions(): readonly CapturedFunction[] {
  return coreState().functions;
}

export function capturedProgrammingModel(): ProgrammingModel | undefined {
  return coreState().programmingModel;
}

export function registeredHooks(name: HookName): HookCallback[] {
  return [...(coreState().hooks.get(name) ?? [])];
}

/** Where the library's system log lines (`coreApi.log`) go. */
export function setCoreLogSink(sink: (line: string) => void): void {
  coreState().logSink = sink;
}

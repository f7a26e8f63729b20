/**
 * Invoke a registered function through the captured programming model, the Node worker's own path:
 * getInvocationModel → getArguments → preInvocation hooks → invokeFunction → postInvocation hooks →
 * getResponse. Trigger conversion (camel-casing, body parsing, HttpRequest) is the library's.
 */
import { randomUUID } from 'node:crypto';
import {
  registeredHooks,
  type CoreInvocationContext,
  type FunctionCallback,
  type ProgrammingModel,
  type RpcInvocationResponse,
  type RpcParameterBinding,
  type RpcTypedData,
} from './functionsCore.js';
import type { LoadedFunction } from './loadFunctions.js';

export interface InvocationInput {
  inputData: RpcParameterBinding[];
  triggerMetadata: Record<string, RpcTypedData>;
}

export type Invoke = (fn: LoadedFunction, input: InvocationInput, invocationId?: string) => Promise<RpcInvocationResponse>;

/** The host's log level filter default ("Information"): trace and debug lines are dropped. */
const quietLevels = new Set(['trace', 'debug']);

export function createInvoker(model: ProgrammingModel, log: (line: string) => void): Invoke {
  return async (fn, input, invocationId = randomUUID()) => {
    const coreCtx: CoreInvocationContext = {
      invocationId,
      request: { invocationId, functionId: fn.name, ...input },
      metadata: fn.captured.metadata,
      state: undefined,
      log(level, category, message) {
        if (!quietLevels.has(level)) log(`[${fn.name}] ${category === 'user' ? '' : `(${category}) `}${message}`);
      },
    };
    const invocation = model.getInvocationModel(coreCtx);
    const { context, inputs: initialInputs } = await invocation.getArguments();

    const hookData: Record<string, unknown> = {};
    const pre = { hookData, invocationContext: context, inputs: initialInputs, functionCallback: fn.captured.handler };
    coreCtx.state = 'preInvocationHooks';
    for (const hook of registeredHooks('preInvocation')) await hook(pre);

    coreCtx.state = 'invocation';
    let result: unknown;
    let error: unknown;
    try {
      result = await invocation.invokeFunction(context, pre.inputs, pre.functionCallback as FunctionCallback);
    } catch (err) {
      error = err;
    }

    const post = { hookData, invocationContext: context, inputs: pre.inputs, result, error };
    coreCtx.state = 'postInvocationHooks';
    for (const hook of registeredHooks('postInvocation')) await hook(post);
    coreCtx.state = undefined;

    if (post.error !== undefined) throw post.error;
    return invocation.getResponse(context, post.result);
  };
}

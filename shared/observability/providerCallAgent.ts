import { context, SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { Agent, type Dispatcher } from 'undici';
import { tracer } from './tracer.js';
import { recordProviderCall } from './syncMetrics.js';

/** Who a connector's calls are made for. No URL: paths and query strings may carry keys. */
export interface ProviderCallLabels {
  tenant: string;
  provider: string;
  connection: string;
}

/**
 * An undici Agent whose every request is a client span (provider, connection, method, status)
 * and feeds the provider latency and error instruments. `dispatch` is where every request of
 * `request()`/`fetch()` through this agent passes, synchronously in the caller's async context,
 * so the span's parent is the invocation that made the call.
 */
export class ProviderCallAgent extends Agent {
  readonly #labels: ProviderCallLabels;

  constructor(labels: ProviderCallLabels, options: Agent.Options) {
    super(options);
    this.#labels = labels;
  }

  override dispatch(options: Agent.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const call = startCall(this.#labels, options.method);
    try {
      return super.dispatch(options, observed(handler, call));
    } catch (error) {
      call.end(undefined, error);
      throw error;
    }
  }
}

interface Call {
  end(status: number | undefined, error?: unknown): void;
}

function startCall(labels: ProviderCallLabels, method: string): Call {
  const startedAt = performance.now();
  const span: Span = tracer().startSpan(
    `${method} ${labels.provider}`,
    {
      kind: SpanKind.CLIENT,
      attributes: { 'shardsync.tenant': labels.tenant, 'shardsync.provider': labels.provider, 'shardsync.connection': labels.connection, 'http.request.method': method },
    },
    context.active(),
  );
  let ended = false;
  return {
    end(status, error) {
      // A handler may see both an error and the end of its response (an aborted body): count once.
      if (ended) return;
      ended = true;
      const failed = error !== undefined || (status !== undefined && status >= 400);
      if (status !== undefined) span.setAttribute('http.response.status_code', status);
      if (failed) {
        const type = error instanceof Error ? error.name : String(status);
        span.setAttribute('error.type', type);
        span.setStatus({ code: SpanStatusCode.ERROR, message: type });
      }
      span.end();
      recordProviderCall(labels, performance.now() - startedAt, failed);
    },
  };
}

/**
 * The caller's handler, seen through: the status when headers arrive, the end on completion or
 * error. Both undici handler styles are covered (onHeaders/onComplete/onError and
 * onResponseStart/onResponseEnd/onResponseError); everything else passes through untouched.
 */
function observed(handler: Dispatcher.DispatchHandler, call: Call): Dispatcher.DispatchHandler {
  let status: number | undefined;
  return new Proxy(handler, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      switch (key) {
        case 'onHeaders':
          return (...args: unknown[]) => {
            status = args[0] as number;
            return method.apply(target, args);
          };
        case 'onResponseStart':
          return (...args: unknown[]) => {
            status = args[1] as number;
            return method.apply(target, args);
          };
        case 'onComplete':
        case 'onResponseEnd':
          return (...args: unknown[]) => {
            call.end(status);
            return method.apply(target, args);
          };
        case 'onError':
        case 'onResponseError':
          return (...args: unknown[]) => {
            call.end(status, args[args.length - 1] ?? new Error('request failed'));
            return method.apply(target, args);
          };
        default:
          return method.bind(target);
      }
    },
  });
}

import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Json = Record<string, any>;

import type { ApiExchange } from '../../dev/adminClient.js';

/** What the document says about an exchange. */
export type Conformance =
  | { verdict: 'conforms' }
  /** The document has no such route and method: the host's own 404/405, not the API's. */
  | { verdict: 'not_described' }
  | { verdict: 'violates'; operationId: string; problems: string[] };

/**
 * Checks answers against an OpenAPI document: the route and method are matched to an operation,
 * the status must be one it documents, and the body must validate against that status's schema
 * (JSON Schema 2020-12, the dialect of OpenAPI 3.1).
 */
export class ApiConformance {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  private readonly operations: Array<{ method: string; pattern: RegExp; pointer: string; operation: Json }> = [];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(document: Json) {
    addFormats.default(this.ajv);
    this.ajv.addSchema({ ...document, $id: 'openapi.json' });
    for (const [route, item] of Object.entries(document.paths as Json)) {
      const pattern = new RegExp(`^${route.replace(/^\//, '').replace(/\{\w+\}/g, '[^/]+')}$`);
      for (const [method, operation] of Object.entries(item as Json)) {
        this.operations.push({ method: method.toUpperCase(), pattern, pointer: `#/paths/${escapePointer(route)}/${method}`, operation: operation as Json });
      }
    }
    // Literal segments first, so `failures/retry` is not taken for `failures/{failureId}`.
    this.operations.sort((a, b) => literalLength(b.pattern) - literalLength(a.pattern));
  }

  check(exchange: ApiExchange): Conformance {
    const path = exchange.path.replace(/^\//, '').split('?')[0]!;
    const match = this.operations.find((candidate) => candidate.method === exchange.method.toUpperCase() && candidate.pattern.test(path));
    if (!match) return { verdict: 'not_described' };
    const operationId = String(match.operation.operationId);
    const response = match.operation.responses?.[String(exchange.status)];
    if (!response) return { verdict: 'violates', operationId, problems: [`status ${exchange.status} is not documented`] };
    const pointer = `${match.pointer}/responses/${exchange.status}/content/application~1json/schema`;
    if (!response.content) {
      return exchange.body === undefined || exchange.body === '' ? { verdict: 'conforms' } : { verdict: 'violates', operationId, problems: ['a body was sent where none is documented'] };
    }
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.getSchema(`openapi.json${pointer}`);
      if (!validate) throw new Error(`no schema at ${pointer}`);
      this.validators.set(pointer, validate);
    }
    if (validate(exchange.body)) return { verdict: 'conforms' };
    return {
      verdict: 'violates',
      operationId,
      problems: (validate.errors ?? []).map((error) => `${error.instancePath || '(body)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`),
    };
  }
}

const escapePointer = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');

const literalLength = (pattern: RegExp): number => pattern.source.replace(/\[\^\/\]\+/g, '').length;

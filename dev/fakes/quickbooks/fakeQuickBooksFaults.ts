import { formatQuickBooksTime } from './fakeQuickBooksTime.js';

export interface QuickBooksErrorItem {
  Message: string;
  Detail: string;
  code: string;
  element?: string;
}

/**
 * A refusal as QuickBooks Online words it. The accounting service answers
 * `{"Fault": {"Error": [{Message, Detail, code, element}], type}, time}`; Intuit's gateway, which
 * refuses tokens before the service sees the call, answers a lower-case `fault`/`error` envelope
 * with `message=…; errorCode=…; statusCode=…` text (as reported in python-quickbooks #250 and
 * oauth-jsclient #2). `gateway` picks the second shape.
 */
export class QuickBooksFault extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly error: QuickBooksErrorItem,
    readonly gateway = false,
    readonly headers: Record<string, string> = {},
  ) {
    super(error.Message);
  }

  body(nowMs: number, utcOffsetMinutes: number): Record<string, unknown> {
    if (this.gateway) {
      const { Message: message, Detail: detail, code } = this.error;
      return {
        warnings: null,
        intuitObject: null,
        fault: { error: [{ message, detail, code, element: null }], type: this.type },
        report: null,
        queryResponse: null,
        batchItemResponse: [],
        attachableResponse: [],
        syncErrorResponse: null,
        requestId: null,
        time: nowMs,
        status: null,
        cdcresponse: [],
      };
    }
    return { Fault: { Error: [{ element: '', ...this.error }], type: this.type }, time: formatQuickBooksTime(nowMs, utcOffsetMinutes) };
  }
}

const validation = (error: QuickBooksErrorItem) => new QuickBooksFault(400, 'ValidationFault', error);

/** 610: QuickBooks reads and writes answer a missing or deleted id with this 400. */
export const objectNotFound = (entity: string, id: string) =>
  validation({
    Message: 'Object Not Found',
    Detail: `Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees. (${entity} ${id})`,
    code: '610',
  });

/** 6240: display names are unique across customers (and item names across items). */
export const duplicateName = (holderId: string) =>
  validation({ Message: 'Duplicate Name Exists Error', Detail: `The name supplied already exists. : Id=${holderId}`, code: '6240' });

/** 5010: the update carried a SyncToken other than the current one. */
export const staleObject = () =>
  validation({
    Message: 'Stale Object Error',
    Detail: 'Stale Object Error : You and another user were working on this at the same time. The other user finished before you did, so your work was not saved.',
    code: '5010',
  });

/** 2020: a required field (DisplayName or a name part, a CustomerRef, …) is absent. */
export const requiredParameter = (element: string) =>
  validation({ Message: 'Required param missing, need to supply the required value for the API', Detail: `Required parameter ${element} is missing in the request`, code: '2020', element });

/** 4000: the query could not be parsed (QueryParserError). */
export const queryParserError = (detail: string) => validation({ Message: 'Error parsing query', Detail: `QueryParserError: ${detail}`, code: '4000' });

/** 4001: the query parsed but names something QuickBooks does not know (QueryValidationError). */
export const invalidQuery = (detail: string) => validation({ Message: 'Invalid query', Detail: `QueryValidationError: ${detail}`, code: '4001' });

/**
 * CDC older than the look-back window. The detail is the text reported in QuickBooksSharp #19; the
 * code (500, "Unsupported Operation") is unverified for this case.
 */
export const cdcTooOld = (changedSince: string) =>
  validation({ Message: 'Unsupported Operation', Detail: `Operation cdc with changedSince date ${changedSince} which is older than fixed days is not supported.`, code: '500' });

/** 500, "Unsupported Operation": a path or verb the API has no resource for. */
export const unsupportedOperation = (path: string) =>
  validation({ Message: 'Unsupported Operation', Detail: `Operation Could not find resource for relative : ${path} is not supported.`, code: '500' });

/** 3200: no, an unknown, or an expired bearer token; Intuit's gateway answers 401 and never echoes the token. */
export const authenticationFailed = (detail: string) =>
  new QuickBooksFault(401, 'AUTHENTICATION', { Message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', Detail: detail, code: '3200' }, true);

/** 3100: a live token used for a company it was not issued for. */
export const authorizationFailed = () =>
  new QuickBooksFault(403, 'SERVICE', { Message: 'message=AuthorizationFailed; errorCode=003100; statusCode=403', Detail: '', code: '3100' }, true);

/**
 * 3001: over 500 requests a minute or 10 at once for one company. The message is the one
 * integrators quote; the envelope and Detail are unverified, and Intuit documents no Retry-After.
 */
export const throttleExceeded = (detail: string) =>
  new QuickBooksFault(429, 'SERVICE', { Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', Detail: detail, code: '3001' });

/** `q/$management` requests: lock renewal, peek, scheduling, deferred receive, disposition by lock token. */
import rhea, { type Message } from 'rhea';
import { conditions, decodeMessage, messageIdOf, outgoingMessage, scheduledTimeOf } from './amqpMessages.js';
import { lockTokenOfUuid, uuidOfLockToken } from './lockToken.js';
import { LockLost, MessageNotFound, type Properties, type Queue } from './queueState.js';

export const MANAGEMENT_SUFFIX = '/$management';

type Body = Record<string, unknown>;
type Operation = (queue: Queue, body: Body) => { status?: number; body?: Body };

class BadRequest extends Error {}

/** Longs arrive as numbers when they fit (rhea), or as 8 big-endian bytes. */
function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (Buffer.isBuffer(value) && value.length === 8) return Number(value.readBigInt64BE());
  throw new BadRequest(`expected a long, got ${String(value)}`);
}

function list(body: Body, key: string): unknown[] {
  const value = body[key];
  if (!Array.isArray(value)) throw new BadRequest(`'${key}' is missing or not a list`);
  return value;
}

const lockTokens = (body: Body) => list(body, 'lock-tokens').map((t) => lockTokenOfUuid(t as Buffer | string));
const sequenceNumbers = (body: Body) => list(body, 'sequence-numbers').map(toNumber);
const propertiesToModify = (body: Body) => body['properties-to-modify'] as Properties | undefined;
const encoded = (message: Message) => rhea.message.encode(message);

const operations: Record<string, Operation> = {
  'com.microsoft:renew-lock': (queue, body) => ({
    body: { expirations: lockTokens(body).map((token) => new Date(queue.renewLock(token))) },
  }),

  'com.microsoft:peek-message': (queue, body) => {
    const from = body['from-sequence-number'] === undefined ? 1 : toNumber(body['from-sequence-number']);
    const count = body['message-count'] === undefined ? 1 : toNumber(body['message-count']);
    const messages = queue.peek(from, count);
    if (messages.length === 0) return { status: 204 };
    return { body: { messages: messages.map((m) => ({ message: encoded(outgoingMessage(m, 'peek')) })) } };
  },

  'com.microsoft:schedule-message': (queue, body) => ({
    body: {
      'sequence-numbers': list(body, 'messages').map((entry) => {
        const fields = entry as Body;
        const message = decodeMessage(fields['message'] as Buffer);
        const messageId = typeof fields['message-id'] === 'string' ? fields['message-id'] : messageIdOf(message);
        // A duplicate is dropped as on a send; 0 stands for "no message scheduled".
        return rhea.types.wrap_long(queue.enqueue(message, messageId, scheduledTimeOf(message)) ?? 0);
      }),
    },
  }),

  'com.microsoft:cancel-scheduled-message': (queue, body) => {
    queue.cancelScheduled(sequenceNumbers(body));
    return {};
  },

  'com.microsoft:receive-by-sequence-number': (queue, body) => {
    const messages = queue.receiveDeferred(sequenceNumbers(body));
    const receiveAndDelete = body['receiver-settle-mode'] === 0;
    const entries = messages.map((m) => ({
      'lock-token': rhea.types.wrap_uuid(uuidOfLockToken(m.lockToken!)),
      message: encoded(outgoingMessage(m, 'delivery')),
    }));
    if (receiveAndDelete) for (const m of messages) queue.complete(m.lockToken!);
    return { body: { messages: entries } };
  },

  'com.microsoft:update-disposition': (queue, body) => {
    const status = body['disposition-status'];
    const properties = propertiesToModify(body);
    for (const token of lockTokens(body)) {
      if (status === 'completed') queue.complete(token);
      else if (status === 'abandoned') queue.abandon(token, properties);
      else if (status === 'defered') queue.defer(token, properties);
      else if (status === 'suspended') {
        queue.deadLetter(token, body['deadletter-reason'] as string | undefined, body['deadletter-description'] as string | undefined, properties);
      } else throw new BadRequest(`unknown disposition-status '${String(status)}'`);
    }
    return {};
  },
};

function errorReply(status: number, condition: string, description: string): Message {
  return { body: null, application_properties: { statusCode: status, statusDescription: description, errorCondition: condition } };
}

/** Management replies carry camelCase status properties. */
export function managementReply(queue: Queue, request: Message): Message {
  const name = String(request.application_properties?.['operation']);
  const operation = operations[name];
  if (!operation) return errorReply(501, conditions.notImplemented, `operation '${name}' is not supported by this broker`);
  try {
    const { status = 200, body = null } = operation(queue, (request.body ?? {}) as Body);
    return { body, application_properties: { statusCode: status, statusDescription: status === 204 ? 'No Content' : 'OK' } };
  } catch (error) {
    if (error instanceof LockLost) return errorReply(410, conditions.lockLost, error.message);
    if (error instanceof MessageNotFound) return errorReply(404, conditions.messageNotFound, error.message);
    if (error instanceof BadRequest) return errorReply(400, conditions.badRequest, error.message);
    throw error;
  }
}

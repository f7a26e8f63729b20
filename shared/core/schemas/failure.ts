import { z } from 'zod';

const failureStatus = z.enum(['open', 'retried', 'resolved']);

/** A record, page or message that could not be synced. */
export const failure = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    executionId: z.string(),
    taskId: z.string().optional(),
    stream: z.string().optional(),
    stage: z.enum(['start', 'fetch', 'transform', 'save', 'dead-letter']),
    errorClass: z.string().describe('e.g. ValidationError, ProviderError, AuthError, DataMismatch'),
    message: z.string(),
    /** Where the payload can be found again (page document, record id, original message). */
    payloadRef: z
      .object({ container: z.string().optional(), id: z.string().optional(), externalId: z.string().optional(), queue: z.string().optional(), messageId: z.string().optional() })
      .optional(),
    /** Field-level reasons: the source path, the target it feeds, the rule that failed. */
    details: z.array(z.object({ path: z.string(), target: z.string().optional(), rule: z.string().optional(), message: z.string() })).optional(),
    attempts: z.number().int(),
    /** The message that failed (single failures only: lists leave it out). */
    originalMessage: z.unknown().optional(),
    /**
     * `retried` once a retry execution took it over (see retriedBy); `resolved` once its conflict
     * was, or once a later run — the retry included — synced its record (see resolvedBy).
     */
    status: failureStatus,
    /** A failure that needs a person: the conflict where they decide. */
    conflictId: z.string().optional(),
    retriedBy: z.string().optional(),
    retriedAt: z.string().optional(),
    /** The execution that synced the failed record afterwards, closing the failure. */
    resolvedBy: z.string().optional(),
    resolvedAt: z.string().optional(),
    createdAt: z.string(),
  })
  .meta({
    id: 'Failure',
    description: 'A record, page or message that could not be synced',
    examples: [
      {
        id: 'fail_8d1e',
        tenantId: 'acme',
        executionId: 'exe_3f0c2a9e',
        taskId: 'shop-customers',
        stream: 'customers',
        stage: 'transform',
        errorClass: 'ValidationError',
        message: '"email" is required',
        payloadRef: { externalId: '1042' },
        details: [{ path: 'email', target: 'email', rule: 'required', message: 'is required' }],
        attempts: 1,
        status: 'open',
        createdAt: '2026-12-07T02:30:02.410Z',
      },
    ],
  });
export type Failure = z.infer<typeof failure>;

import { app } from '@azure/functions';
import { z } from 'zod';
import { json } from './http/apiResponses.js';
import { BODY_LIMITS } from './http/bodyLimits.js';
import { describedOperations, describeOperation } from './http/apiCatalog.js';
import { buildOpenApiDocument } from './http/openApi/openApiDocument.js';

const route = 'openapi.json';

/**
 * The API's own description, anonymous like `health`: it names routes and shapes, no tenant data.
 * Built on first request, once every function file has registered its routes.
 */
let document: Record<string, unknown> | undefined;

describeOperation({
  name: 'openApi',
  method: 'GET',
  route,
  access: 'anonymous',
  tag: 'api',
  summary: 'This document: the OpenAPI 3.1 description of every route',
  maxBodyBytes: BODY_LIMITS.none,
  responses: { 200: { description: 'The OpenAPI document.', schema: z.object({ openapi: z.literal('3.1.0') }).loose() } },
});

const openApiRoute = {
  route,
  methods: ['GET' as const],
  authLevel: 'anonymous' as const,
  shardsyncAccess: 'anonymous',
  shardsyncMaxBodyBytes: BODY_LIMITS.none,
  handler: async () => {
    document ??= buildOpenApiDocument(describedOperations());
    return json(200, document);
  },
};
app.http('openApi', openApiRoute);

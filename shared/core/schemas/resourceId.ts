import { z } from 'zod';

/** Ids chosen by clients (tenants, connections, tasks…): safe in URLs, document ids and secret names. */
export const resourceId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1-64 letters, digits, "-" or "_", starting with a letter or digit');

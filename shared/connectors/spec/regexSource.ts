import { z } from 'zod';

/**
 * A regular expression a spec carries (an error code's pattern, an id's shape, a delete topic),
 * checked on save so a bad one is a 422, not a failure at the first call. Short (200 characters),
 * and matched only against short provider strings.
 */
export const regexSource = z
  .string()
  .max(200)
  .refine((source) => {
    try {
      new RegExp(source);
      return true;
    } catch {
      return false;
    }
  }, 'must be a regular expression');

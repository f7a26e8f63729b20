import { z } from 'zod';
import isSafeRegex from 'safe-regex2';

const compiles = (source: string) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
};

/**
 * A regular expression a spec carries (an error code's pattern, an id's shape, a delete topic),
 * checked on save so a bad one is a 422, not a failure at the first call. A tenant writes it and
 * workers run it, so nested repetition (`(a+)+`), which can take exponential time, is refused
 * (safe-regex2's star-height check); it is also short, and matched only against short strings.
 */
export const regexSource = z
  .string()
  .max(200)
  .refine(compiles, 'must be a regular expression')
  // Judged only once it compiles, so a broken pattern gets one message.
  .refine((source) => !compiles(source) || isSafeRegex(source), 'must not repeat a repetition (such as `(a+)+`): matching it can take exponential time');

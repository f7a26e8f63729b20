import type { TransformRule } from '../schema.js';
import type { Step } from '../step.js';
import { isMissing, warn } from '../result.js';
import { compileDateFormat, isoUtc, type DateFormat } from './dateFormats.js';
import { zoneConverter } from './timeZone.js';

/** ±100,000,000 days around 1970: the range a JS Date (and so toISOString) can hold. */
const MAX_DATE_MS = 8.64e15;
const EPOCH_TEXT = /^-?\d+(?:\.\d+)?$/;

/** Tries each input format in order; local times are read in the rule's zone; out comes ISO UTC. */
export function dateStep(rule: Extract<TransformRule, { op: 'date' }>): Step {
  const formats: DateFormat[] = rule.formats.map(compileDateFormat);
  const toUtc = zoneConverter(rule.timeZone);
  const epochScale = formats.find((f): f is Extract<DateFormat, { kind: 'epoch' }> => f.kind === 'epoch')?.scale;
  return (value, context) => {
    if (isMissing(value)) return null;
    let ms: number | undefined;
    if (typeof value === 'number') {
      if (epochScale !== undefined) ms = value * epochScale;
    } else if (typeof value === 'string') {
      const text = value.trim();
      for (const format of formats) {
        ms = format.kind === 'epoch' ? (EPOCH_TEXT.test(text) ? Number(text) * format.scale : undefined) : format.parse(text, toUtc);
        if (ms !== undefined) break;
      }
    }
    if (ms === undefined || !Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) {
      return warn(context, 'date', `${JSON.stringify(value)} is not a date in ${rule.formats.join(' or ')}`);
    }
    return isoUtc(Math.round(ms));
  };
}

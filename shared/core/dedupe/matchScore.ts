import type { DedupeRules, Matcher, MatcherKind } from './dedupeRules.js';
import { areNicknames } from './nicknames.js';
import { phoneticCodes } from './phonetic.js';
import { normalizedReader, orientations } from './recordView.js';
import { codeOverlap, jaroWinklerSimilarity, levenshteinSimilarity } from './similarity.js';

export interface MatchedField {
  field: string;
  kind: MatcherKind;
  similarity: number;
}

export interface MatchResult {
  /** Agreeing share of the weighed evidence, 0..1. */
  score: number;
  /** Sum of weight × similarity over the agreeing matchers. */
  evidence: number;
  isMatch: boolean;
  /** The agreeing matchers. */
  matched: MatchedField[];
  /** Whether the best reading compared one record with a swappable pair exchanged. */
  swapped: boolean;
}

/** A short form ("bob" for "robert") is nearly as good as the same name. */
const NICKNAME_SIMILARITY = 0.95;

interface PreparedValue {
  text: string;
  /**
   * Phonetic codes per word, for the phonetic kinds: worked out when a pair first reaches its
   * phonetic matcher, as most pairs are ruled out before it.
   */
  codes?: readonly (readonly string[])[];
}

/** A record read once for a rule set: per orientation, one value (or null) per matcher. */
export interface PreparedRecord {
  orientations: (PreparedValue | null)[][];
}

/** Normalises a record for every matcher: done once per record, not once per pair, when one record meets many. */
export function prepareRecord(data: unknown, rules: DedupeRules): PreparedRecord {
  const read = normalizedReader(data, rules);
  return {
    orientations: orientations(rules).map((orientation) =>
      rules.matchers.map((matcher): PreparedValue | null => {
        const text = read(orientation(matcher.field), matcher.normalize);
        return text === null ? null : { text };
      }),
    ),
  };
}

/**
 * Scores a pair of records under a rule set. Each matcher both records can be compared on either
 * agrees (similarity ≥ its threshold: adds weight × similarity to the evidence and weight to the
 * total) or disagrees (adds its mismatch weight to the total only); a field either record lacks
 * counts neither way, so missing data is no evidence against a match. The score is the agreeing
 * share of the total, and a pair matches when the score reaches the rule set's threshold with at
 * least its minimum evidence behind it.
 */
export function matchScore(a: unknown, b: unknown, rules: DedupeRules): MatchResult {
  return scorePrepared(prepareRecord(a, rules), prepareRecord(b, rules), rules);
}

/**
 * The best reading of the pair: as written, or with a swappable pair exchanged ("Smith John" vs
 * "John Smith"). A swapped reading can exchange either record's fields; the two ways compare the
 * same values but under different matchers (a given name under the family-name matcher), so the
 * weaker of the two counts: otherwise a swap would get to pick the cheaper matcher for a
 * disagreement. The result is the same whichever record comes first.
 */
export function scorePrepared(a: PreparedRecord, b: PreparedRecord, rules: DedupeRules): MatchResult {
  let best = scoreOrientation(a.orientations[0]!, b.orientations[0]!, rules, false);
  for (let index = 1; index < a.orientations.length; index++) {
    const swapA = scoreOrientation(a.orientations[index]!, b.orientations[0]!, rules, true);
    const swapB = scoreOrientation(a.orientations[0]!, b.orientations[index]!, rules, true);
    const swapped = better(swapA, swapB) ? swapB : swapA;
    if (better(swapped, best)) best = swapped;
  }
  return best;
}

/**
 * scorePrepared's result when the pair matches, undefined when it does not. The same readings in
 * the same order, but a reading stops as soon as its remaining matchers, all agreeing fully, could
 * no longer lift it to a match: what only a search for matches needs, at a fraction of the cost
 * for the many pairs that do not match.
 */
export function matchPrepared(a: PreparedRecord, b: PreparedRecord, rules: DedupeRules): MatchResult | undefined {
  let best = scoreOrientation(a.orientations[0]!, b.orientations[0]!, rules, false, true);
  for (let index = 1; index < a.orientations.length; index++) {
    // The weaker of the two swapped readings counts: when either cannot match, this one does not.
    const swapA = scoreOrientation(a.orientations[index]!, b.orientations[0]!, rules, true, true);
    if (swapA === undefined) continue;
    const swapB = scoreOrientation(a.orientations[0]!, b.orientations[index]!, rules, true, true);
    if (swapB === undefined) continue;
    const swapped = better(swapA, swapB) ? swapB : swapA;
    if (best === undefined || better(swapped, best)) best = swapped;
  }
  return best;
}

/** Floating-point slack: pruning may only ever keep readings that cannot match, never drop one that can. */
const EPSILON = 1e-9;

/** Per matcher: the weight of it and every matcher after it. */
const remainingWeights = new WeakMap<DedupeRules, readonly number[]>();

function remainingWeightsOf(rules: DedupeRules): readonly number[] {
  let weights = remainingWeights.get(rules);
  if (weights === undefined) {
    const list = new Array<number>(rules.matchers.length + 1).fill(0);
    for (let index = rules.matchers.length - 1; index >= 0; index--) list[index] = list[index + 1]! + rules.matchers[index]!.weight;
    remainingWeights.set(rules, (weights = list));
  }
  return weights;
}

function better(candidate: MatchResult, best: MatchResult): boolean {
  if (candidate.isMatch !== best.isMatch) return candidate.isMatch;
  if (candidate.score !== best.score) return candidate.score > best.score;
  return candidate.evidence > best.evidence;
}

function scoreOrientation(a: (PreparedValue | null)[], b: (PreparedValue | null)[], rules: DedupeRules, swapped: boolean): MatchResult;
function scoreOrientation(a: (PreparedValue | null)[], b: (PreparedValue | null)[], rules: DedupeRules, swapped: boolean, prune: true): MatchResult | undefined;
function scoreOrientation(a: (PreparedValue | null)[], b: (PreparedValue | null)[], rules: DedupeRules, swapped: boolean, prune = false): MatchResult | undefined {
  let evidence = 0;
  let total = 0;
  const matched: MatchedField[] = [];
  const remaining = prune ? remainingWeightsOf(rules) : undefined;
  const matchers = rules.matchers;
  for (let index = 0; index < matchers.length; index++) {
    const matcher = matchers[index]!;
    const similarity = compare(matcher, a[index] ?? null, b[index] ?? null);
    if (similarity !== null) {
      if (similarity >= matcher.threshold) {
        evidence += matcher.weight * similarity;
        total += matcher.weight;
        matched.push({ field: matcher.field, kind: matcher.kind, similarity });
      } else {
        total += matcher.mismatchWeight ?? matcher.weight;
      }
    }
    if (remaining !== undefined) {
      // At best every matcher left agrees fully: evidence and total both grow by their weight.
      const rest = remaining[index + 1]!;
      const best = evidence + rest;
      if (best < rules.minEvidence - EPSILON || best < rules.threshold * (total + rest) - EPSILON) return undefined;
    }
  }
  const score = total === 0 ? 0 : evidence / total;
  const isMatch = total > 0 && score >= rules.threshold && evidence >= rules.minEvidence;
  if (prune && !isMatch) return undefined;
  return { score, evidence, isMatch, matched, swapped };
}

/** Similarity of one matcher's values, or null when they cannot be compared. */
function compare(matcher: Matcher, a: PreparedValue | null, b: PreparedValue | null): number | null {
  if (a === null || b === null) return null;
  if (matcher.initials && (isInitials(a.text) || isInitials(b.text))) return a.text[0] === b.text[0] ? null : 0;
  const similarity = measure(matcher.kind, a, b);
  return matcher.nicknames && similarity < NICKNAME_SIMILARITY && nicknamesOf(a.text, b.text) ? NICKNAME_SIMILARITY : similarity;
}

function measure(kind: MatcherKind, a: PreparedValue, b: PreparedValue): number {
  switch (kind) {
    case 'exact': return a.text === b.text ? 1 : 0;
    case 'jaroWinkler': return jaroWinklerSimilarity(a.text, b.text);
    case 'levenshtein': return levenshteinSimilarity(a.text, b.text);
    case 'soundex':
    case 'doubleMetaphone': return codeOverlap((a.codes ??= phoneticCodes(kind, a.text)), (b.codes ??= phoneticCodes(kind, b.text)));
  }
}

/** "j" or "j r": nothing but initials (single characters, one space apart). */
function isInitials(text: string): boolean {
  return INITIALS.test(text);
}
const INITIALS = /^[^ ](?: [^ ])*$/u;

/** The whole names, or their first words ("bob j" and "robert james"), are short forms of one name. */
function nicknamesOf(a: string, b: string): boolean {
  if (areNicknames(a, b)) return true;
  const firstA = firstWord(a);
  const firstB = firstWord(b);
  // Names of one word each were just compared whole; most pairs scored are those.
  return (firstA !== a || firstB !== b) && areNicknames(firstA, firstB);
}

function firstWord(text: string): string {
  const space = text.indexOf(' ');
  return space < 0 ? text : text.slice(0, space);
}

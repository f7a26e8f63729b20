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
  /** Phonetic codes per word, for the phonetic kinds. */
  codes?: string[][];
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
        if (text === null) return null;
        return matcher.kind === 'soundex' || matcher.kind === 'doubleMetaphone' ? { text, codes: phoneticCodes(matcher.kind, text) } : { text };
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

function better(candidate: MatchResult, best: MatchResult): boolean {
  if (candidate.isMatch !== best.isMatch) return candidate.isMatch;
  if (candidate.score !== best.score) return candidate.score > best.score;
  return candidate.evidence > best.evidence;
}

function scoreOrientation(a: (PreparedValue | null)[], b: (PreparedValue | null)[], rules: DedupeRules, swapped: boolean): MatchResult {
  let evidence = 0;
  let total = 0;
  const matched: MatchedField[] = [];
  rules.matchers.forEach((matcher, index) => {
    const similarity = compare(matcher, a[index] ?? null, b[index] ?? null);
    if (similarity === null) return;
    if (similarity >= matcher.threshold) {
      evidence += matcher.weight * similarity;
      total += matcher.weight;
      matched.push({ field: matcher.field, kind: matcher.kind, similarity });
    } else {
      total += matcher.mismatchWeight ?? matcher.weight;
    }
  });
  const score = total === 0 ? 0 : evidence / total;
  return { score, evidence, isMatch: total > 0 && score >= rules.threshold && evidence >= rules.minEvidence, matched, swapped };
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
    case 'doubleMetaphone': return codeOverlap(a.codes ?? [], b.codes ?? []);
  }
}

/** "j" or "j r": nothing but initials. */
function isInitials(text: string): boolean {
  return text.split(' ').every((word) => [...word].length === 1);
}

/** The whole names, or their first words ("bob j" and "robert james"), are short forms of one name. */
function nicknamesOf(a: string, b: string): boolean {
  return areNicknames(a, b) || areNicknames(a.split(' ')[0]!, b.split(' ')[0]!);
}

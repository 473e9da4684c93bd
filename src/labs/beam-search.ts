/**
 * The beam search lab's logic: a small hand-made next-token tree, greedy decoding, beam search
 * that records every step, exhaustive search, and the two length penalties of question 66
 * (GNMT's ((5 + |Y|) / 6)^α and the simple |Y|^α). It follows `beam_search.py` there: take the
 * top 2B candidates, a candidate ending in EOS finishes only if it ranks inside the top B,
 * finished hypotheses leave the beam, and the exact early-stopping rule.
 */

/** The end-of-sequence token. */
export const EOS = 'EOS';

export type PenaltyKind = 'gnmt' | 'simple';

/** Next-token probabilities keyed by prefix (tokens joined by one space; '' is the start). */
export type NextTokenTree = Readonly<Record<string, readonly (readonly [string, number])[]>>;

/** The prompt the tree continues; shown to the reader, never scored. */
export const prompt = 'Tomorrow will be';

/**
 * Illustrative probabilities, built so that greedy takes "very" (0.5), whose continuations are
 * spread thin, while "sunny" (0.4) continues confidently; and so that the short "sunny EOS"
 * (p 0.22) beats the longer "sunny and warm EOS" (p 0.162) on raw log-probability but loses
 * once the length penalty is strong enough.
 */
export const weatherTree: NextTokenTree = {
  '': [
    ['very', 0.5],
    ['sunny', 0.4],
    [EOS, 0.1],
  ],
  very: [
    ['cold', 0.35],
    ['warm', 0.3],
    ['sunny', 0.25],
    [EOS, 0.1],
  ],
  sunny: [
    [EOS, 0.55],
    ['and', 0.45],
  ],
  'very cold': [
    [EOS, 0.6],
    ['again', 0.4],
  ],
  'very warm': [
    [EOS, 0.6],
    ['again', 0.4],
  ],
  'very sunny': [
    [EOS, 0.6],
    ['again', 0.4],
  ],
  'sunny and': [
    ['warm', 0.9],
    ['cold', 0.1],
  ],
  'very cold again': [[EOS, 1]],
  'very warm again': [[EOS, 1]],
  'very sunny again': [[EOS, 1]],
  'sunny and warm': [[EOS, 1]],
  'sunny and cold': [[EOS, 1]],
};

/** Tokens per hypothesis, EOS included; a hypothesis this long is finished as it is. */
export const weatherMaxLength = 4;

/** Divide a hypothesis' log-probability by this. α = 0 gives the raw log-probability. */
export function lengthPenalty(length: number, alpha: number, kind: PenaltyKind = 'gnmt'): number {
  return kind === 'gnmt' ? ((5 + length) / 6) ** alpha : length ** alpha;
}

/** The problems with a tree (empty when it is well formed): a bad tree must not decode silently. */
export function checkTree(tree: NextTokenTree, maxLength: number): string[] {
  const problems: string[] = [];
  const visit = (prefix: readonly string[]) => {
    const key = prefix.join(' ');
    const next = tree[key];
    if (!next || next.length === 0) {
      problems.push(`prefix "${key}" has no next-token probabilities`);
      return;
    }
    const total = next.reduce((sum, [, p]) => sum + p, 0);
    if (Math.abs(total - 1) > 1e-9) problems.push(`prefix "${key}": probabilities sum to ${total}`);
    const tokens = next.map(([token]) => token);
    if (new Set(tokens).size !== tokens.length) problems.push(`prefix "${key}" repeats a token`);
    for (const [token, p] of next) {
      if (!(p > 0 && p <= 1)) problems.push(`prefix "${key}": p(${token}) = ${p}`);
      if (token !== EOS && prefix.length + 1 < maxLength) visit([...prefix, token]);
    }
  };
  visit([]);
  return problems;
}

/** The next tokens after a prefix, with their natural-log probabilities, in the tree's order. */
export function nextTokens(
  tree: NextTokenTree,
  prefix: readonly string[],
): { token: string; logProb: number }[] {
  const next = tree[prefix.join(' ')];
  if (!next) throw new Error(`The tree has no next-token probabilities for "${prefix.join(' ')}"`);
  return next.map(([token, p]) => ({ token, logProb: Math.log(p) }));
}

export interface Hypothesis {
  tokens: readonly string[];
  /** Sum of the tokens' natural-log probabilities. */
  logProb: number;
  /** logProb / lengthPenalty(tokens.length): what ranks finished hypotheses. */
  score: number;
}

export interface GreedyStep {
  /** The prefix after this step. */
  tokens: readonly string[];
  /** The argmax token and its probability. */
  token: string;
  prob: number;
  logProb: number;
}

export interface GreedyResult {
  steps: GreedyStep[];
  tokens: readonly string[];
  logProb: number;
}

/** Argmax at every step, stopping at the first EOS or at maxLength. */
export function greedy(tree: NextTokenTree, maxLength: number): GreedyResult {
  const steps: GreedyStep[] = [];
  let tokens: string[] = [];
  let logProb = 0;
  while (tokens.length < maxLength) {
    // The first of equal tokens wins, as argmax does.
    const best = nextTokens(tree, tokens).reduce((a, b) => (b.logProb > a.logProb ? b : a));
    tokens = [...tokens, best.token];
    logProb += best.logProb;
    steps.push({ tokens, token: best.token, prob: Math.exp(best.logProb), logProb });
    if (best.token === EOS) break;
  }
  return { steps, tokens, logProb };
}

export interface BeamOptions {
  /** Beam width B. */
  width: number;
  /** Length-penalty exponent α. */
  alpha: number;
  kind: PenaltyKind;
  maxLength: number;
  /** Stop once no live beam can beat the best finished hypothesis (exact; default true). */
  earlyStop?: boolean;
}

export type CandidateStatus = 'beam' | 'finished' | 'pruned';

export interface Candidate extends Hypothesis {
  /** The token this candidate adds to its parent beam. */
  token: string;
  /** 0 for the best candidate of the step. */
  rank: number;
  status: CandidateStatus;
  /** Why a candidate was pruned, in words; empty otherwise. */
  reason: string;
}

export type StopReason = 'early-stop' | 'no-live-beams' | 'max-length';

export interface BeamStep {
  /** 1-based: the length of every candidate in this step. */
  step: number;
  /** Every extension of every live beam, best log-probability first. */
  candidates: Candidate[];
  /** The live beams after the step, best first. */
  kept: Hypothesis[];
  /** Every hypothesis finished so far, best score first. */
  finished: Hypothesis[];
  /** Best score a live beam could still reach (for the early-stopping rule), when checked. */
  bound: number | null;
  /** Why the search ends after this step, or null when it goes on. */
  stop: StopReason | null;
}

export interface BeamResult {
  steps: BeamStep[];
  /** Every finished hypothesis, best score first. */
  finished: Hypothesis[];
  best: Hypothesis | undefined;
}

const byScore = (a: Hypothesis, b: Hypothesis) => b.score - a.score || b.logProb - a.logProb;

/** Beam search that records each step's candidates, kept beams and finished hypotheses. */
export function beamSearch(tree: NextTokenTree, options: BeamOptions): BeamResult {
  const { width, alpha, kind, maxLength, earlyStop = true } = options;
  if (!Number.isInteger(width) || width < 1) throw new Error(`Beam width must be ≥ 1: ${width}`);
  const lp = (length: number) => lengthPenalty(length, alpha, kind);
  const steps: BeamStep[] = [];
  const finished: Hypothesis[] = [];
  let live: Hypothesis[] = [{ tokens: [], logProb: 0, score: 0 }];

  for (let t = 1; t <= maxLength; t++) {
    const extensions = live.flatMap((beam) =>
      nextTokens(tree, beam.tokens).map(({ token, logProb: tokenLogProb }) => {
        const logProb = beam.logProb + tokenLogProb;
        return { tokens: [...beam.tokens, token], token, logProb, score: logProb / lp(t) };
      }),
    );
    // Stable sort: equal log-probs keep beam order, then the tree's token order.
    const ranked = extensions
      .map((extension, index) => ({ extension, index }))
      .sort((a, b) => b.extension.logProb - a.extension.logProb || a.index - b.index)
      .map(({ extension }) => extension);
    const kept: Hypothesis[] = [];
    const candidates = ranked.map((extension, rank): Candidate => {
      const ends = extension.token === EOS || t === maxLength;
      let status: CandidateStatus = 'pruned';
      let reason = '';
      // As in the sample: the top 2B candidates leave at least B that do not end in EOS.
      if (rank >= 2 * width) reason = 'outside the top 2B';
      else if (ends && rank < width) status = 'finished';
      else if (ends) reason = 'ends outside the top B';
      else if (kept.length < width) status = 'beam';
      else reason = 'beam full';
      const { tokens, logProb, score } = extension;
      if (status === 'finished') finished.push({ tokens, logProb, score });
      if (status === 'beam') kept.push({ tokens, logProb, score });
      return { ...extension, rank, status, reason };
    });
    finished.sort(byScore);
    let bound: number | null = null;
    let stop: StopReason | null = null;
    if (kept.length === 0) stop = t === maxLength ? 'max-length' : 'no-live-beams';
    else if (earlyStop && finished.length > 0) {
      // Log-probs only fall as a hypothesis grows, so a live beam with log-prob s can at best
      // score s / max lp over the lengths it can still have.
      let bestPenalty = 0;
      for (let n = t + 1; n <= maxLength; n++) bestPenalty = Math.max(bestPenalty, lp(n));
      bound = kept[0].logProb / bestPenalty;
      if (finished[0].score >= bound) stop = 'early-stop';
    }
    steps.push({ step: t, candidates, kept, finished: [...finished], bound, stop });
    if (stop) break;
    live = kept;
  }
  return { steps, finished, best: finished[0] };
}

/** Every complete hypothesis (ends in EOS, or reaches maxLength), best score first. */
export function exhaustive(
  tree: NextTokenTree,
  maxLength: number,
  alpha: number,
  kind: PenaltyKind,
): Hypothesis[] {
  const complete: Hypothesis[] = [];
  const grow = (tokens: readonly string[], logProb: number) => {
    for (const next of nextTokens(tree, tokens)) {
      const extended = [...tokens, next.token];
      const total = logProb + next.logProb;
      if (next.token === EOS || extended.length === maxLength) {
        const score = total / lengthPenalty(extended.length, alpha, kind);
        complete.push({ tokens: extended, logProb: total, score });
      } else grow(extended, total);
    }
  };
  grow([], 0);
  return complete.sort(byScore);
}

/**
 * The α at which two finished hypotheses of different lengths score the same: above it the
 * longer one wins. Solves lp(long)^α / lp(short)^α = logProb(long) / logProb(short).
 */
export function crossoverAlpha(shorter: Hypothesis, longer: Hypothesis, kind: PenaltyKind) {
  const penaltyRatio =
    lengthPenalty(longer.tokens.length, 1, kind) / lengthPenalty(shorter.tokens.length, 1, kind);
  return Math.log(longer.logProb / shorter.logProb) / Math.log(penaltyRatio);
}

/** A hypothesis as text: its tokens separated by spaces. */
export function formatTokens(tokens: readonly string[]): string {
  return tokens.length === 0 ? '(start)' : tokens.join(' ');
}

/** A number with a typographic minus and a fixed number of decimals (no "−0.000"). */
export function formatNumber(value: number, decimals = 3): string {
  const text = Math.abs(value).toFixed(decimals);
  return value < 0 && Number(text) !== 0 ? `−${text}` : text;
}

/** The words for a penalty, e.g. "GNMT, α = 0.6". */
export function describePenalty(alpha: number, kind: PenaltyKind): string {
  return `${kind === 'gnmt' ? 'GNMT' : 'simple'}, α = ${alpha.toFixed(1)}`;
}

/** One candidate as table cells, for the step tables (the same text with or without script). */
export interface CandidateRow {
  /** The parent beam's tokens, then the token this candidate adds. */
  prefix: string;
  token: string;
  logProb: string;
  prob: string;
  score: string;
  status: CandidateStatus;
  outcome: string;
  /** Whether this candidate is greedy decoding's prefix at this step. */
  greedy: boolean;
}

export interface StepView {
  step: number;
  caption: string;
  rows: CandidateRow[];
  kept: string[];
  finished: string[];
  greedyNote: string;
  stopNote: string;
}

const quote = (tokens: readonly string[]) => `“${formatTokens(tokens)}”`;
const sameTokens = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((token, i) => token === b[i]);

function greedyNote(step: BeamStep, greedyPath: GreedyResult): string {
  const greedyStep = greedyPath.steps[step.step - 1];
  if (!greedyStep) {
    return `Greedy finished at step ${greedyPath.steps.length} with ${quote(greedyPath.tokens)}.`;
  }
  const mine = step.candidates.find((candidate) => sameTokens(candidate.tokens, greedyStep.tokens));
  const best = step.kept[0];
  const bestDiffers =
    best && !sameTokens(best.tokens, greedyStep.tokens)
      ? ` The best live beam is ${quote(best.tokens)}.`
      : '';
  const greedyWord = `Greedy takes “${greedyStep.token}” (p ${formatNumber(greedyStep.prob)})`;
  if (!mine) {
    return `${greedyWord}, giving ${quote(greedyStep.tokens)}; beam search dropped that path earlier.${bestDiffers}`;
  }
  const fate =
    mine.status === 'beam'
      ? 'which the beam keeps too'
      : mine.status === 'finished'
        ? 'which the beam also finishes'
        : `which the beam prunes (${mine.reason})`;
  return `${greedyWord}, giving ${quote(greedyStep.tokens)}, ${fate}.${bestDiffers}`;
}

function stopNote(step: BeamStep, options: BeamOptions): string {
  if (step.stop === 'max-length') {
    return `Maximum length (${options.maxLength} tokens) reached: every hypothesis is finished.`;
  }
  if (step.stop === 'no-live-beams') return 'No live beam is left: the search ends.';
  if (step.finished.length === 0) return 'Nothing has finished yet: the search goes on.';
  if (step.bound === null) return 'Early stopping is off: the search goes on while beams are live.';
  let largestPenalty = 0;
  for (let n = step.step + 1; n <= options.maxLength; n++)
    largestPenalty = Math.max(largestPenalty, lengthPenalty(n, options.alpha, options.kind));
  const reach = `${formatNumber(step.bound)} (log p ${formatNumber(step.kept[0].logProb)} ÷ the largest penalty still possible, ${formatNumber(largestPenalty)})`;
  const finished = `The best finished hypothesis scores ${formatNumber(step.finished[0].score)}`;
  return step.stop === 'early-stop'
    ? `${finished}; no live beam can beat that, as the best could reach ${reach}: stop early.`
    : `${finished}; the best live beam could still reach ${reach}: the search goes on.`;
}

/** What a step table shows: every candidate, the kept beams, the finished list, greedy, stop. */
export function describeStep(
  step: BeamStep,
  greedyPath: GreedyResult,
  options: BeamOptions,
): StepView {
  const greedyTokens = greedyPath.steps[step.step - 1]?.tokens;
  const outcome = (candidate: Candidate) =>
    candidate.status === 'beam'
      ? 'kept'
      : candidate.status === 'finished'
        ? 'finished'
        : `pruned: ${candidate.reason}`;
  return {
    step: step.step,
    caption: `Candidates at step ${step.step}, most probable first (B = ${options.width}, ${describePenalty(options.alpha, options.kind)})`,
    rows: step.candidates.map((candidate) => ({
      prefix: formatTokens(candidate.tokens.slice(0, -1)),
      token: candidate.token,
      logProb: formatNumber(candidate.logProb),
      prob: formatNumber(Math.exp(candidate.logProb)),
      score: formatNumber(candidate.score),
      status: candidate.status,
      outcome: outcome(candidate),
      greedy: greedyTokens !== undefined && sameTokens(candidate.tokens, greedyTokens),
    })),
    kept: step.kept.map((beam) => formatTokens(beam.tokens)),
    finished: step.finished.map(
      (hypothesis) => `${formatTokens(hypothesis.tokens)} (${formatNumber(hypothesis.score)})`,
    ),
    greedyNote: greedyNote(step, greedyPath),
    stopNote: stopNote(step, options),
  };
}

/** The outcome in words: beam's answer, greedy's, and how they compare. */
export function describeResult(
  result: BeamResult,
  greedyPath: GreedyResult,
  options: BeamOptions,
): { beam: string; greedy: string; comparison: string } {
  const best = result.best;
  const lp = lengthPenalty(greedyPath.tokens.length, options.alpha, options.kind);
  const greedy = `Greedy returns ${quote(greedyPath.tokens)}: log p ${formatNumber(greedyPath.logProb)} (p ${formatNumber(Math.exp(greedyPath.logProb))}), score ${formatNumber(greedyPath.logProb / lp)} under the same penalty.`;
  if (!best) return { beam: 'Beam search finished no hypothesis.', greedy, comparison: '' };
  const beam = `Beam search (B = ${options.width}, ${describePenalty(options.alpha, options.kind)}) returns ${quote(best.tokens)}: log p ${formatNumber(best.logProb)} (p ${formatNumber(Math.exp(best.logProb))}), score ${formatNumber(best.score)}.`;
  const comparison = sameTokens(best.tokens, greedyPath.tokens)
    ? 'Beam search and greedy agree.'
    : best.logProb > greedyPath.logProb
      ? 'They disagree: beam search found a more probable sequence than greedy.'
      : 'They disagree: greedy’s sequence is more probable, but beam’s scores higher once the length penalty is applied.';
  return { beam, greedy, comparison };
}

/**
 * A demo image's stars against its sky's true stars, in words, for every output that shows them:
 * plain lines, the summaries, the dashboard's rows and preview. The detections add up to the
 * true stars over 5σ found, the fainter true stars found and the false ones, and each place says
 * so: "939 stars (469 of 479 true stars)" alone read as if the other 470 were made up, when most
 * are real stars too faint for the figure.
 */
import type { TruthCounts } from '../analysis/score.js';
import { FAINT_SNR } from '../sources/demo/sky.js';

/** The line between the stars that count and the fainter ones, as the outputs write it. */
const OVER = `over ${FAINT_SNR}σ`;

/** `count` formats the numbers (plain output writes them bare, the dashboard with separators). */
type Count = (n: number) => string;

/** Adds up the counts of several images. */
export function addTruth(counts: readonly TruthCounts[]): TruthCounts {
  const sum = (pick: (t: TruthCounts) => number): number => counts.reduce((a, t) => a + pick(t), 0);
  return { stars: sum((t) => t.stars), found: sum((t) => t.found), faintFound: sum((t) => t.faintFound), spurious: sum((t) => t.spurious) };
}

/**
 * What the stars are, as a sum that adds up to them:
 * `= 469 of 479 true stars over 5σ (98%) + 460 fainter + 10 false` (the share with `percent`).
 */
export function truthSum(t: TruthCounts, count: Count = String, percent = false): string {
  const share = percent ? ` (${t.stars > 0 ? Math.round((t.found / t.stars) * 100) : 100}%)` : '';
  return `= ${count(t.found)} of ${count(t.stars)} true stars ${OVER}${share} + ${count(t.faintFound)} fainter + ${count(t.spurious)} false`;
}

/** The false detections, short (dashboard rows, the preview's caption): `10 false`. */
export function falseWords(t: TruthCounts, count: Count = String): string {
  return `${count(t.spurious)} false`;
}

/** The true stars over 5σ found, short: `469/479 ≥5σ`. */
export function foundWords(t: TruthCounts, count: Count = String): string {
  return `${count(t.found)}/${count(t.stars)} ≥${FAINT_SNR}σ`;
}

/** Whether the detector found enough of the true stars over 5σ for the dashboard to show it as good. */
export function foundEnough(t: TruthCounts): boolean {
  return t.stars === 0 || t.found / t.stars >= 0.9;
}

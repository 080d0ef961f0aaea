/** Scoring a detector against a sky's true stars: precision, recall, F1 and centroid error. */
import { matchStars, type Point } from './match.js';

/** A true star; a faint one (too faint to demand) counts neither as found nor as missed. */
export interface ScoredStar extends Point {
  faint?: boolean;
}

export interface DetectionScore {
  /** Detections within the radius of a true star that is not faint. */
  found: number;
  /** Detections near no true star. */
  spurious: number;
  /** True stars, not faint, with no detection near. */
  missed: number;
  /** Detections that matched a faint star (neither right nor wrong). */
  faintFound: number;
  /** Sum of the squared distances (px²) of the found stars' detections to their true centres. */
  sumSquaredError: number;
}

/** Matches `found` to `truth` (one to one, closest first, within `radius` px) and counts. */
export function scoreDetections(found: readonly Point[], truth: readonly ScoredStar[], radius = 3): DetectionScore {
  const { pairs } = matchStars(found, truth, radius);
  let hits = 0;
  let faintFound = 0;
  let sumSquaredError = 0;
  for (const [i, j] of pairs) {
    const t = truth[j]!;
    if (t.faint) {
      faintFound++;
      continue;
    }
    hits++;
    sumSquaredError += (found[i]!.x - t.x) ** 2 + (found[i]!.y - t.y) ** 2;
  }
  const demanded = truth.filter((t) => !t.faint).length;
  return { found: hits, spurious: found.length - pairs.length, missed: demanded - hits, faintFound, sumSquaredError };
}

/** Adds scores up (over a set of skies). */
export function addScores(scores: readonly DetectionScore[]): DetectionScore {
  const sum = (pick: (s: DetectionScore) => number): number => scores.reduce((a, s) => a + pick(s), 0);
  return {
    found: sum((s) => s.found),
    spurious: sum((s) => s.spurious),
    missed: sum((s) => s.missed),
    faintFound: sum((s) => s.faintFound),
    sumSquaredError: sum((s) => s.sumSquaredError),
  };
}

/** Precision, recall, F1 and centroid RMS (px) of a score; 0 where undefined (nothing to divide). */
export function scoreFigures(s: DetectionScore): { precision: number; recall: number; f1: number; rms: number } {
  const precision = s.found + s.spurious > 0 ? s.found / (s.found + s.spurious) : 0;
  const recall = s.found + s.missed > 0 ? s.found / (s.found + s.missed) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, rms: s.found > 0 ? Math.sqrt(s.sumSquaredError / s.found) : 0 };
}

/**
 * What the dashboard and the report show against the truth. The detections add up to
 * `found + faintFound + spurious`: a detection that is not one of the `stars` found is most often
 * a fainter true star (faint ones count neither way in the figures, as in the bench).
 */
export interface TruthCounts {
  /** True stars that are not faint (peak at least FAINT_SNR times the noise). */
  stars: number;
  /** Of those, how many a detection matched. */
  found: number;
  /** Detections that matched a faint true star. */
  faintFound: number;
  /** Detections that matched no true star: noise, hot pixels, cosmic rays, a star counted twice. */
  spurious: number;
}

/** Counts `found` against `truth` (see TruthCounts). */
export function truthCounts(found: readonly Point[], truth: readonly ScoredStar[]): TruthCounts {
  const score = scoreDetections(found, truth);
  return { stars: score.found + score.missed, found: score.found, faintFound: score.faintFound, spurious: score.spurious };
}

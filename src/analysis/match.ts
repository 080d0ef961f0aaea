/** Matching detected stars to true ones: how many of the real stars a detector found. */

export interface Point {
  x: number;
  y: number;
}

export interface MatchResult {
  /** True stars with a detection within the radius (each detection matches one star at most). */
  matched: number;
  /** Pairs as [detection index, truth index]. */
  pairs: [number, number][];
}

/**
 * Greedy one-to-one matching, closest pairs first, of detections to true stars within `radius`
 * pixels. Pure; O((n + m) · neighbours) with a grid of `radius`-sized cells.
 */
export function matchStars(found: readonly Point[], truth: readonly Point[], radius = 3): MatchResult {
  const cell = (v: number): number => Math.floor(v / radius);
  const grid = new Map<string, number[]>();
  truth.forEach((t, j) => {
    const key = `${cell(t.x)},${cell(t.y)}`;
    const list = grid.get(key);
    if (list) list.push(j);
    else grid.set(key, [j]);
  });
  const candidates: { d2: number; i: number; j: number }[] = [];
  found.forEach((f, i) => {
    for (let gy = cell(f.y) - 1; gy <= cell(f.y) + 1; gy++) {
      for (let gx = cell(f.x) - 1; gx <= cell(f.x) + 1; gx++) {
        for (const j of grid.get(`${gx},${gy}`) ?? []) {
          const d2 = (f.x - truth[j]!.x) ** 2 + (f.y - truth[j]!.y) ** 2;
          if (d2 <= radius * radius) candidates.push({ d2, i, j });
        }
      }
    }
  });
  candidates.sort((a, b) => a.d2 - b.d2 || a.i - b.i || a.j - b.j);
  const usedFound = new Set<number>();
  const usedTruth = new Set<number>();
  const pairs: [number, number][] = [];
  for (const { i, j } of candidates) {
    if (usedFound.has(i) || usedTruth.has(j)) continue;
    usedFound.add(i);
    usedTruth.add(j);
    pairs.push([i, j]);
  }
  return { matched: pairs.length, pairs };
}

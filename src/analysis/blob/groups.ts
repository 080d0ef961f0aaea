import type { Center } from './centers.js';

/** A detected star: float32 centre and diameter, as OpenCV's KeyPoint holds them. */
export interface Keypoint {
  x: number;
  y: number;
  size: number;
}

/**
 * SimpleBlobDetector's matching of blobs across threshold levels. Groups keep their creation
 * order; each group's members stay sorted by radius, and its median member stands for it.
 * A grid over the groups' median positions finds the candidates near a centre, and the first
 * group in creation order that matches wins, exactly as the linear scan OpenCV does.
 */
export class BlobGroups {
  private readonly groups: Center[][] = [];
  private readonly cellSize: number;
  private readonly grid = new Map<number, number[]>();
  /** The cell each group is filed under (by its median member's position). */
  private readonly cellOf: number[] = [];
  /** No median member's radius has been larger than this. */
  private maxRadius = 0;

  constructor(private readonly minDist: number) {
    this.cellSize = Math.max(16, minDist);
  }

  /** Adds one level's centres: each joins the first matching group, or starts a new one after the level. */
  addLevel(centers: readonly Center[]): void {
    const fresh: Center[] = [];
    for (const c of centers) {
      const j = this.firstMatch(c);
      if (j < 0) fresh.push(c);
      else this.insert(j, c);
    }
    for (const c of fresh) this.create(c);
  }

  /** Groups seen on at least `minRepeatability` levels, as keypoints in creation order. */
  keypoints(minRepeatability: number): Keypoint[] {
    const out: Keypoint[] = [];
    for (const g of this.groups) {
      if (g.length < minRepeatability) continue;
      let sx = 0;
      let sy = 0;
      let normalizer = 0;
      for (const c of g) {
        sx += c.confidence * c.x;
        sy += c.confidence * c.y;
        normalizer += c.confidence;
      }
      const scale = 1 / normalizer;
      const median = g[g.length >> 1]!;
      out.push({
        x: Math.fround(sx * scale),
        y: Math.fround(sy * scale),
        size: Math.fround(Math.fround(median.radius) * 2),
      });
    }
    return out;
  }

  private firstMatch(c: Center): number {
    const reach = Math.max(this.minDist, this.maxRadius, c.radius);
    const span = Math.ceil(reach / this.cellSize);
    const cx = Math.floor(c.x / this.cellSize);
    const cy = Math.floor(c.y / this.cellSize);
    let best = -1;
    for (let gy = cy - span; gy <= cy + span; gy++) {
      for (let gx = cx - span; gx <= cx + span; gx++) {
        const members = this.grid.get(cellKey(gx, gy));
        if (!members) continue;
        for (const j of members) {
          if ((best < 0 || j < best) && this.matches(j, c)) best = j;
        }
      }
    }
    return best;
  }

  /** OpenCV's `!isNew`: the centre is too close to the group's median member to be a new blob. */
  private matches(j: number, c: Center): boolean {
    const g = this.groups[j]!;
    const ref = g[g.length >> 1]!;
    const dx = ref.x - c.x;
    const dy = ref.y - c.y;
    const dist = Math.sqrt(dx * dx + dy * dy);
    return !(dist >= this.minDist && dist >= ref.radius && dist >= c.radius);
  }

  private insert(j: number, c: Center): void {
    const g = this.groups[j]!;
    let k = g.length;
    g.push(c);
    while (k > 0 && c.radius < g[k - 1]!.radius) {
      g[k] = g[k - 1]!;
      k--;
    }
    g[k] = c;
    this.file(j);
  }

  private create(c: Center): void {
    this.groups.push([c]);
    this.cellOf.push(Number.NaN);
    this.file(this.groups.length - 1);
  }

  /** Files group j under the cell of its current median member. */
  private file(j: number): void {
    const g = this.groups[j]!;
    const ref = g[g.length >> 1]!;
    this.maxRadius = Math.max(this.maxRadius, ref.radius);
    const key = cellKey(Math.floor(ref.x / this.cellSize), Math.floor(ref.y / this.cellSize));
    const old = this.cellOf[j]!;
    if (old === key) return;
    if (!Number.isNaN(old)) {
      const members = this.grid.get(old)!;
      members.splice(members.indexOf(j), 1);
    }
    this.cellOf[j] = key;
    const members = this.grid.get(key);
    if (members) members.push(j);
    else this.grid.set(key, [j]);
  }
}

/** Cells are keyed by one number; an image is far less than 2^21 cells a side. */
function cellKey(gx: number, gy: number): number {
  return (gy + 4096) * 4194304 + (gx + 4096);
}

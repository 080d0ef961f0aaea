/** Which of a set of objects lie near a point: the objects on a grid of cells. */

/** The objects on a grid of cells, to find which is near a point. */
export class Neighbours {
  private readonly cells = new Map<number, number[]>();
  constructor(
    private readonly objects: readonly { x: number; y: number }[],
    private readonly cell: number,
  ) {
    objects.forEach((o, i) => {
      const key = this.key(Math.floor(o.x / cell), Math.floor(o.y / cell));
      const list = this.cells.get(key);
      if (list) list.push(i);
      else this.cells.set(key, [i]);
    });
  }

  /** Whether an object other than `self` lies within `radius` (≤ the cell) of `p`. */
  closest(p: { x: number; y: number }, self: number, radius: number): boolean {
    const cx = Math.floor(p.x / this.cell);
    const cy = Math.floor(p.y / this.cell);
    for (let v = cy - 1; v <= cy + 1; v++) {
      for (let u = cx - 1; u <= cx + 1; u++) {
        for (const i of this.cells.get(this.key(u, v)) ?? []) {
          const o = this.objects[i]!;
          if (i !== self && Math.hypot(o.x - p.x, o.y - p.y) <= radius) return true;
        }
      }
    }
    return false;
  }

  /** The objects other than `self` whose centres lie within `reach` (≤ the cell) of `p` along x and y. */
  within(p: { x: number; y: number }, self: number, reach: number): number[] {
    const cx = Math.floor(p.x / this.cell);
    const cy = Math.floor(p.y / this.cell);
    const found: number[] = [];
    for (let v = cy - 1; v <= cy + 1; v++) {
      for (let u = cx - 1; u <= cx + 1; u++) {
        for (const i of this.cells.get(this.key(u, v)) ?? []) {
          const o = this.objects[i]!;
          if (i !== self && Math.abs(o.x - p.x) <= reach && Math.abs(o.y - p.y) <= reach) found.push(i);
        }
      }
    }
    return found;
  }

  private key(u: number, v: number): number {
    return (v + 1) * 1e6 + u + 1;
  }
}

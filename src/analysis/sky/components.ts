/**
 * Connected components of a mask (8-connected), found run by run: each row's runs of set pixels
 * are joined (union–find) to the runs they touch in the row above. Components are numbered in
 * raster order of their first pixel; their pixels are listed in raster order.
 */
export interface Components {
  count: number;
  /** Component c's pixels are pixels[offsets[c] … offsets[c + 1]) (indices y · width + x). */
  offsets: Int32Array;
  pixels: Int32Array;
}

export function connectedComponents(mask: Uint8Array, width: number, height: number, minArea = 1): Components {
  const starts: number[] = [];
  const ends: number[] = [];
  const rowsOf: number[] = [];
  const parent: number[] = [];
  const find = (r: number): number => {
    while (parent[r] !== r) {
      parent[r] = parent[parent[r]!]!;
      r = parent[r]!;
    }
    return r;
  };
  let previous = 0; // first run of the row above
  for (let y = 0; y < height; y++) {
    const first = starts.length;
    let above = previous;
    const row = y * width;
    for (let x = 0; x < width; ) {
      if (!mask[row + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < width && mask[row + x]) x++;
      const id = starts.length;
      starts.push(start);
      ends.push(x);
      rowsOf.push(y);
      parent.push(id);
      // Runs above that touch [start, x), diagonals included; runs of a row are in order, so the
      // ones that end before this run starts are passed for good.
      while (above < first && ends[above]! < start) above++;
      for (let k = above; k < first; k++) {
        if (starts[k]! > x) break;
        const a = find(id);
        const b = find(k);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
    previous = first;
  }
  const runs = starts.length;
  const area = new Int32Array(runs);
  for (let r = 0; r < runs; r++) area[find(r)]! += ends[r]! - starts[r]!;
  // Roots are the lowest run of each component, so raster order of roots is order of first pixels.
  const idOf = new Int32Array(runs).fill(-1);
  const sizes: number[] = [];
  for (let r = 0; r < runs; r++) {
    if (parent[r] !== r || area[r]! < minArea) continue;
    idOf[r] = sizes.length;
    sizes.push(area[r]!);
  }
  const offsets = new Int32Array(sizes.length + 1);
  for (let c = 0; c < sizes.length; c++) offsets[c + 1] = offsets[c]! + sizes[c]!;
  const pixels = new Int32Array(offsets[sizes.length]!);
  const fill = offsets.slice(0, sizes.length);
  for (let r = 0; r < runs; r++) {
    const c = idOf[find(r)]!;
    if (c < 0) continue;
    for (let x = starts[r]!, p = rowsOf[r]! * width + x; x < ends[r]!; x++, p++) pixels[fill[c]!++] = p;
  }
  return { count: sizes.length, offsets, pixels };
}

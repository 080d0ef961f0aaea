import sharp from 'sharp';

/** A star for the synthetic skies: centre, Gaussian sigma and peak brightness (0–255). */
export interface SyntheticStar {
  x: number;
  y: number;
  sigma: number;
  peak: number;
}

/** A black sky with Gaussian stars, as 8-bit grey pixels. Deterministic. */
export function skyPixels(width: number, height: number, stars: readonly SyntheticStar[]): Uint8Array {
  const pixels = new Float64Array(width * height);
  for (const s of stars) {
    const reach = Math.ceil(4 * s.sigma);
    for (let y = Math.max(0, Math.floor(s.y) - reach); y <= Math.min(height - 1, Math.ceil(s.y) + reach); y++) {
      for (let x = Math.max(0, Math.floor(s.x) - reach); x <= Math.min(width - 1, Math.ceil(s.x) + reach); x++) {
        const d2 = (x - s.x) ** 2 + (y - s.y) ** 2;
        pixels[y * width + x]! += s.peak * Math.exp(-d2 / (2 * s.sigma * s.sigma));
      }
    }
  }
  return Uint8Array.from(pixels, (v) => Math.min(255, Math.round(v)));
}

/** The same sky as a PNG file's bytes (grey, one channel). */
export function skyPng(width: number, height: number, stars: readonly SyntheticStar[]): Promise<Buffer> {
  return sharp(skyPixels(width, height, stars), { raw: { width, height, channels: 1 } }).png().toBuffer();
}

/** A grid of well separated bright stars: `columns` × `rows`, 40 px apart, sigma 2. */
export function starGrid(columns: number, rows: number): SyntheticStar[] {
  const stars: SyntheticStar[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) stars.push({ x: 20 + 40 * c + 0.3 * r, y: 20 + 40 * r + 0.2 * c, sigma: 2, peak: 240 });
  }
  return stars;
}

/** An 8-bit image of a flat sky of `level` and round Gaussians of `sigma` (a star's own `sigma` if it has one), clipped at 255. */
export function flatSky(width: number, height: number, stars: readonly { x: number; y: number; amplitude: number; sigma?: number }[], sigma: number, level = 20): Uint8Array {
  const light = skyPixels(width, height, stars.map((s) => ({ x: s.x, y: s.y, sigma: s.sigma ?? sigma, peak: s.amplitude })));
  return light.map((v) => Math.min(255, v + level));
}

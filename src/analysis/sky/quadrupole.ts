/**
 * Two stars of about the same brightness 1–2σ of the PSF apart, fitted as one star at their
 * light's centre, leave a residual symmetric about that centre: the mirror test of a companion's
 * bump (companions.ts) cannot see them, and one Gaussian of another width explains them no better.
 * What tells them from one star is the residual's shape: light left over along the pair's axis
 * and missing across it, a quadrupole, where a star wider or narrower than the PSF leaves a ring.
 */
import { gaussianRun } from './gaussian-run.js';
import type { FitWindow } from './psf-fit.js';

/**
 * A pair's quadrupole stands this many σ of the noise's above zero (of white noise: JPEG's is not,
 * and a lone star's residual passes 5σ now and then; on the bench 5–8 place stars as well, and at
 * 7 fewer galaxies are fitted as pairs: 565 objects of the Hubble Deep Field against 917 at 5).
 */
export const MIN_QUADRUPOLE = 7;

// The weights along the window's columns and rows, reused (a window's side is at most 64).
const columns = new Float64Array(64);
const rows = new Float64Array(64);

/**
 * The angle (radians, from the x axis) of the axis along which `residual` holds a pair's light about
 * (x, y): its quadrupole, weighted by the PSF (a Gaussian of `sigma`) there, stands MIN_QUADRUPOLE σ
 * of the white noise of σ `noise` above zero; else undefined. `residual` is as group-fit.ts's
 * `residuals` leaves it: row-major over `win` grown by a pixel on each side, NaN where unmeasured.
 */
export function pairAxis(residual: Float64Array, win: FitWindow, x: number, y: number, sigma: number, noise: number): number | undefined {
  const side = win.side + 2;
  const k = -1 / (2 * sigma * sigma);
  gaussianRun(columns, 0, win.x0, win.side, k, x);
  gaussianRun(rows, 0, win.y0, win.side, k, y);
  // The two components of the quadrupole, Σ r·w·(dx² − dy²) and Σ r·w·2dx·dy, and the variance
  // each has from the noise alone (in units of its variance): Σ (w·(dx² − dy²))² and Σ (w·2dx·dy)².
  let qc = 0;
  let qs = 0;
  let vc = 0;
  let vs = 0;
  for (let v = 0; v < win.side; v++) {
    const dy = win.y0 + v - y;
    const wy = rows[v]!;
    const at = (v + 1) * side + 1;
    for (let u = 0; u < win.side; u++) {
      const r = residual[at + u]!;
      if (Number.isNaN(r)) continue;
      const dx = win.x0 + u - x;
      const w = wy * columns[u]!;
      const c = (dx * dx - dy * dy) * w;
      const s = 2 * dx * dy * w;
      qc += r * c;
      qs += r * s;
      vc += c * c;
      vs += s * s;
    }
  }
  if (!(vc > 0 && vs > 0)) return undefined;
  const z2 = (qc * qc) / vc + (qs * qs) / vs;
  if (!(z2 > (MIN_QUADRUPOLE * noise) ** 2)) return undefined;
  return Math.atan2(qs / vs, qc / vc) / 2;
}

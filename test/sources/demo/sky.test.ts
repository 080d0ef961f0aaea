import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { NEBULA_MIN_SIGMA } from '../../../src/sources/demo/sky-extras.js';
import { FAINT_SNR, mulberry32, renderSky, SKY_LIMITS, skyPlan, truthOf, type SkyPlan, type SkyStar } from '../../../src/sources/demo/sky.js';

const digest = (pixels: Uint8Array): string => createHash('sha256').update(pixels).digest('hex');

/** Plans for seeds 1–4, indexes 0–39: enough to see the spread of sizes and star counts. */
const plans: SkyPlan[] = [1, 2, 3, 4].flatMap((seed) => Array.from({ length: 40 }, (_, index) => skyPlan(seed, index)));

test('mulberry32 is seeded: the same seed repeats, another differs, values are in [0, 1)', () => {
  const a = mulberry32(42);
  const b = mulberry32(42);
  const c = mulberry32(43);
  const first = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(Array.from({ length: 1000 }, () => b()), first);
  assert.notDeepEqual(Array.from({ length: 1000 }, () => c()), first);
  assert.ok(first.every((v) => v >= 0 && v < 1));
});

test('the same seed and index give the same plan and the same pixels', () => {
  assert.deepEqual(skyPlan(7, 3), skyPlan(7, 3));
  assert.equal(digest(renderSky(skyPlan(7, 3))), digest(renderSky(skyPlan(7, 3))));
});

test('another seed or another index gives another sky', () => {
  const base = skyPlan(7, 3);
  for (const other of [skyPlan(8, 3), skyPlan(7, 4)]) {
    assert.notDeepEqual(other.stars.slice(0, 5), base.stars.slice(0, 5));
    assert.notEqual(digest(renderSky(other)), digest(renderSky(base)));
  }
});

test('a seed or index that is not a whole number is refused', () => {
  assert.throws(() => skyPlan(1.5, 0), RangeError);
  assert.throws(() => skyPlan(1, -1), RangeError);
  assert.throws(() => skyPlan(Number.NaN, 0), RangeError);
});

test('sizes stay within 512×512 … 3000×2000, mostly moderate, with small and big ones too', () => {
  for (const { width, height } of plans) {
    assert.ok(width >= SKY_LIMITS.minWidth && width <= SKY_LIMITS.maxWidth, `width ${width}`);
    assert.ok(height >= SKY_LIMITS.minHeight && height <= SKY_LIMITS.maxHeight, `height ${height}`);
  }
  const moderate = plans.filter((p) => p.width * p.height <= 2000 * 2000);
  assert.ok(moderate.length >= 0.8 * plans.length, `${moderate.length} of ${plans.length} moderate`);
  assert.ok(plans.some((p) => p.width === 512 && p.height === 512));
  assert.ok(plans.some((p) => p.width >= 2400));
  assert.ok(plans.some((p) => p.height > p.width), 'some portrait skies');
  assert.ok(plans.some((p) => p.format === 'png') && plans.some((p) => p.format === 'jpeg'));
});

test('star counts range from tens to thousands, with faint, saturated, Gaussian and Moffat stars', () => {
  const counts = plans.map((p) => p.stars.length);
  assert.ok(Math.min(...counts) >= 20 && Math.min(...counts) < 100, `fewest ${Math.min(...counts)}`);
  assert.ok(Math.max(...counts) >= 2000 && Math.max(...counts) <= 6000, `most ${Math.max(...counts)}`);
  const stars = plans.flatMap((p) => p.stars.map((s) => ({ ...s, noise: p.noise })));
  assert.ok(stars.some((s) => s.amplitude < 4 * s.noise), 'stars just above the noise');
  assert.ok(stars.some((s) => s.amplitude > 255 && s.peak === 255), 'saturated stars, their peak capped at 255');
  assert.ok(stars.some((s) => s.profile === 'gaussian') && stars.some((s) => s.profile === 'moffat'));
  assert.ok(stars.some((s) => s.sigma < 1.1) && stars.some((s) => s.sigma > 2.2), 'varied widths');
  assert.ok(stars.some((s) => s.tint[0] < 0.95) && stars.some((s) => s.tint[2] < 0.95), 'blue and red stars');
});

test('the truth is the drawn stars: centres in the image, peaks 0–255, faint under 5σ of the noise', () => {
  for (const plan of plans.slice(0, 40)) {
    const truth = truthOf(plan);
    assert.equal(truth.length, plan.stars.length);
    truth.forEach((s, i) => {
      assert.deepEqual(Object.keys(s), ['x', 'y', 'peak', 'faint']);
      assert.ok(s.x >= 0 && s.x <= plan.width - 1 && s.y >= 0 && s.y <= plan.height - 1);
      assert.ok(s.peak > 0 && s.peak <= 255);
      assert.equal(s.faint, plan.stars[i]!.amplitude < FAINT_SNR * plan.noise);
    });
    const faint = truth.filter((s) => s.faint).length;
    // Brightness follows N(> A) ∝ 1/A from 2.5σ: about half the stars are under 5σ.
    if (truth.length >= 200) assert.ok(faint > 0.4 * truth.length && faint < 0.6 * truth.length, `${faint} of ${truth.length} faint`);
  }
});

test('skies have what makes counting hard: nebulae, hot pixels, cosmic rays, spikes on bright stars', () => {
  assert.ok(plans.some((p) => p.nebulae.length > 0) && plans.some((p) => p.nebulae.length === 0));
  assert.ok(plans.every((p) => p.nebulae.every((c) => c.minor >= NEBULA_MIN_SIGMA && c.major >= c.minor)));
  assert.ok(plans.every((p) => p.hotPixels.length > 0));
  assert.ok(plans.some((p) => p.cosmicRays.length > 0));
  assert.ok(plans.some((p) => p.spikeAngle !== undefined) && plans.some((p) => p.spikeAngle === undefined));
});

test('a hot pixel is one bright pixel; a spike runs along its angle from a bright star', () => {
  const base = { ...skyPlan(1, 2), noise: 0, nebulae: [], cosmicRays: [], band: undefined, gradient: { x: 0, y: 0 } };
  const hot = { x: 100, y: 100, value: 120 };
  const pixels = renderSky({ ...base, stars: [], hotPixels: [hot] });
  const green = (x: number, y: number): number => pixels[(y * base.width + x) * 3 + 1]!;
  const sky = green(50, 50);
  assert.equal(green(100, 100), Math.min(255, Math.round(sky + 120)));
  assert.equal(green(101, 100), sky);
  const star = { ...skyPlan(1, 2).stars[0]!, x: 300, y: 300, amplitude: 3000, peak: 255, halo: 0, profile: 'gaussian' as const, sigma: 1.5, tint: [1, 1, 1] as const };
  const spiked = renderSky({ ...base, stars: [star], hotPixels: [], spikeAngle: 0 });
  const at = (x: number, y: number): number => spiked[(y * base.width + x) * 3 + 1]!;
  assert.ok(at(312, 300) > sky + 10 && at(300, 288) > sky + 10, `spikes along x and y: ${at(312, 300)}, ${at(300, 288)} on ${sky}`);
  assert.ok(at(312, 312) <= sky + 1, `dark between the spikes: ${at(312, 312)}`);
});

/** Stars no other star (or its halo) comes near, and that stay below 255 with the sky. */
function isolated(plan: SkyPlan, min: number): SkyStar[] {
  const clear = (s: SkyStar): boolean =>
    plan.stars.every((o) => o === s || Math.hypot(o.x - s.x, o.y - s.y) > 12 * Math.max(o.sigma, s.sigma) + (o.amplitude > 255 ? 30 : 0));
  const margin = 10;
  return plan.stars.filter((s) => s.amplitude >= min && s.amplitude + 60 < 255 && s.x > margin && s.y > margin &&
    s.x < plan.width - margin && s.y < plan.height - margin && clear(s));
}

/** The brightest green pixel within `radius` of (x, y). */
function brightest(plan: SkyPlan, pixels: Uint8Array, s: SkyStar, radius: number): { x: number; y: number; value: number } {
  let best = { x: -1, y: -1, value: -1 };
  for (let y = Math.round(s.y) - radius; y <= Math.round(s.y) + radius; y++) {
    for (let x = Math.round(s.x) - radius; x <= Math.round(s.x) + radius; x++) {
      const value = pixels[(y * plan.width + x) * 3 + 1]!;
      if (value > best.value) best = { x, y, value };
    }
  }
  return best;
}

test('without noise, the brightest pixel of every isolated star is within 1 px of its truth, as bright as its peak', () => {
  let checked = 0;
  for (const [seed, index] of [[1, 0], [1, 4], [2, 2], [3, 7], [4, 11]] as const) {
    const plan = { ...skyPlan(seed, index), noise: 0 };
    const pixels = renderSky(plan);
    const sky = Math.max(...plan.skyLevel) + 40; // the level, gradient and band stay under this
    for (const s of isolated(plan, 20)) {
      const top = brightest(plan, pixels, s, 4);
      assert.ok(Math.hypot(top.x - s.x, top.y - s.y) <= 1, `star at ${s.x},${s.y} peaks at ${top.x},${top.y}`);
      assert.ok(top.value <= sky + s.peak && top.value >= 0.4 * s.peak * s.tint[1], `peak ${s.peak}, pixel ${top.value}`);
      checked++;
    }
  }
  assert.ok(checked > 100, `${checked} stars checked`);
});

test('with noise, the light-weighted centre of every bright isolated star is within 0.5 px of its truth', () => {
  let checked = 0;
  for (const [seed, index] of [[1, 0], [2, 2], [3, 7]] as const) {
    const plan = skyPlan(seed, index);
    const pixels = renderSky(plan);
    for (const s of isolated(plan, 60)) {
      const r = Math.ceil(3 * s.sigma);
      const cx = Math.round(s.x);
      const cy = Math.round(s.y);
      // The local sky: the median of a ring around the star.
      const ring: number[] = [];
      for (let a = 0; a < 64; a++) {
        const x = Math.round(cx + (r + 4) * Math.cos((a * Math.PI) / 32));
        const y = Math.round(cy + (r + 4) * Math.sin((a * Math.PI) / 32));
        ring.push(pixels[(y * plan.width + x) * 3 + 1]!);
      }
      const sky = ring.sort((p, q) => p - q)[32]!;
      let sum = 0;
      let sx = 0;
      let sy = 0;
      for (let y = cy - r; y <= cy + r; y++) {
        for (let x = cx - r; x <= cx + r; x++) {
          const w = Math.max(0, pixels[(y * plan.width + x) * 3 + 1]! - sky);
          sum += w;
          sx += w * x;
          sy += w * y;
        }
      }
      assert.ok(Math.hypot(sx / sum - s.x, sy / sum - s.y) <= 0.5, `star at ${s.x},${s.y}, centroid ${sx / sum},${sy / sum}`);
      checked++;
    }
  }
  assert.ok(checked > 10, `${checked} stars checked`);
});

test('the sky is dark, noisy and a little uneven', () => {
  const plan = { ...skyPlan(2, 2), stars: [] };
  const pixels = renderSky(plan);
  assert.equal(pixels.length, plan.width * plan.height * 3);
  const green = Array.from({ length: plan.width * plan.height }, (_, i) => pixels[i * 3 + 1]!);
  const mean = green.reduce((a, b) => a + b, 0) / green.length;
  const sd = Math.sqrt(green.reduce((a, b) => a + (b - mean) ** 2, 0) / green.length);
  assert.ok(mean > 3 && mean < 50, `mean ${mean}`);
  assert.ok(sd > 1 && sd < 12, `sd ${sd}`);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import {
  DEMO_VIDEO_INDEX, demoImagePath, demoListing, skyPlan, startDemoServer, truthFor, truthForUrl, truthOf,
} from '../../../src/sources/demo/index.js';

test('truthFor is the plan\'s truth, the same on every call', () => {
  assert.deepEqual(truthFor(3, 2), truthOf(skyPlan(3, 2)));
  assert.deepEqual(truthFor(3, 2), truthFor(3, 2));
});

test('truthForUrl: full size for hdurl, scaled to the sd image for url, undefined for other URLs', async (t) => {
  const server = await startDemoServer();
  t.after(() => server.close());
  const plan = skyPlan(1, 0); // 1168 wide: its sd image is 1024 wide
  assert.deepEqual(truthForUrl(1, `${server.url}${demoImagePath(plan)}`), truthOf(plan));
  const sdUrl = `${server.url}${demoImagePath(plan, 'sd')}`;
  const sd = await sharp(Buffer.from(await (await fetch(sdUrl)).arrayBuffer())).metadata();
  const scaled = truthForUrl(1, sdUrl) ?? [];
  const first = plan.stars[0]!;
  assert.ok(Math.abs(scaled[0]!.x - ((first.x + 0.5) * (sd.width ?? 0)) / plan.width + 0.5) < 1e-9);
  assert.ok(Math.abs(scaled[0]!.y - ((first.y + 0.5) * (sd.height ?? 0)) / plan.height + 0.5) < 1e-9);
  assert.equal(truthForUrl(1, 'https://apod.nasa.gov/apod/image/x.jpg'), undefined);
});

test('demoListing fetches the catalogue from the server: images by index with their truth (asked for when needed), the video skipped', async (t) => {
  const server = await startDemoServer({ seed: 4, count: 12 });
  t.after(() => server.close());
  const listing = await demoListing(server);
  assert.deepEqual(listing.skipped.map((s) => [s.id, s.reason]), [[String(DEMO_VIDEO_INDEX), 'media_type is video, not an image']]);
  assert.deepEqual(listing.images.map((i) => i.id), ['0', '1', '2', '3', '4', '6', '7', '8', '9', '10', '11']);
  for (const image of listing.images) {
    const index = Number(image.id);
    assert.equal(image.url, `${server.url}${demoImagePath(skyPlan(4, index))}`);
    assert.deepEqual(image.truth?.(), truthFor(4, index));
    assert.ok(image.name.length > 0);
  }
});

test('demoListing says so when the server refuses', async (t) => {
  const server = await startDemoServer();
  t.after(() => server.close());
  await assert.rejects(demoListing({ ...server, apiKey: 'wrong' }), /answered 403/);
});

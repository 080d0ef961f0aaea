import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEMO_LAST_DATE, DEMO_VIDEO_INDEX, demoDate, demoEntry, demoImagePath, demoIndexOfDate, isDemoVideo, parseDemoImagePath,
} from '../../../src/sources/demo/catalogue.js';
import { skyPlan } from '../../../src/sources/demo/sky.js';

const BASE = 'http://127.0.0.1:1234';

test('dates count back one day an index from the fixed last date, across months and years', () => {
  assert.equal(demoDate(0), DEMO_LAST_DATE);
  assert.equal(demoDate(1), '2024-12-30');
  assert.equal(demoDate(31), '2024-11-30');
  assert.equal(demoDate(366), '2023-12-31');
  for (const index of [0, 1, 31, 366, 5000]) assert.equal(demoIndexOfDate(demoDate(index)), index);
});

test('image entries are APOD-shaped, hdurl the full-size sky, url a smaller one when it is wide', () => {
  for (let index = 0; index < 12; index++) {
    if (index === DEMO_VIDEO_INDEX) continue;
    const plan = skyPlan(1, index);
    const entry = demoEntry(1, index, 24, BASE);
    assert.deepEqual(Object.keys(entry).sort(), ['copyright', 'date', 'explanation', 'hdurl', 'media_type', 'service_version', 'title', 'url']);
    assert.equal(entry.media_type, 'image');
    assert.equal(entry.service_version, 'v1');
    assert.equal(entry.date, demoDate(index));
    assert.equal(entry.hdurl, `${BASE}/images/${index}.${plan.format === 'png' ? 'png' : 'jpg'}`);
    assert.equal(entry.url, plan.width > 1024 ? entry.hdurl?.replace(/(\.\w+)$/, '-sd$1') : entry.hdurl);
    assert.ok(entry.title.length > 5);
  }
});

test('titles do not repeat within 108 images (every place with every kind), whatever the seed', () => {
  for (const seed of [1, 2, 7]) {
    const titles = Array.from({ length: 108 }, (_, i) => demoEntry(seed, i, 108, BASE).title);
    assert.equal(new Set(titles).size, 108, `seed ${seed}`);
  }
  assert.deepEqual(Array.from({ length: 4 }, (_, i) => demoEntry(1, i, 24, BASE).title), [
    'Star Clouds of Centaurus', 'The Crowded Sky of Puppis', 'A Wide Field in Ophiuchus', 'Stars Toward Auriga',
  ]);
});

test('one entry of a catalogue of 10 or more is a video with a YouTube URL; smaller ones have none', () => {
  const entries = Array.from({ length: 24 }, (_, i) => demoEntry(1, i, 24, BASE));
  const videos = entries.filter((e) => e.media_type === 'video');
  assert.equal(videos.length, 1);
  assert.equal(videos[0]?.date, demoDate(DEMO_VIDEO_INDEX));
  assert.match(videos[0]?.url ?? '', /^https:\/\/www\.youtube\.com\/embed\//);
  assert.equal(videos[0]?.hdurl, undefined);
  assert.equal(isDemoVideo(DEMO_VIDEO_INDEX, 9), false);
  assert.equal(demoEntry(1, DEMO_VIDEO_INDEX, 9, BASE).media_type, 'image');
});

test('image paths parse back into index, variant and extension; other paths do not', () => {
  assert.equal(demoImagePath({ index: 3, format: 'png' }), '/images/3.png');
  assert.equal(demoImagePath({ index: 3, format: 'jpeg' }, 'sd'), '/images/3-sd.jpg');
  assert.deepEqual(parseDemoImagePath('/images/3-sd.jpg'), { index: 3, variant: 'sd', ext: 'jpg' });
  assert.deepEqual(parseDemoImagePath(`${BASE}/images/12.png?x=1`), { index: 12, variant: 'hd', ext: 'png' });
  for (const path of ['/images/3.gif', '/images/x.jpg', '/truth/3.json', '/images/-1.jpg']) assert.equal(parseDemoImagePath(path), undefined);
});

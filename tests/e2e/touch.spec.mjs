// Touch that does everything, with real touch input (CDP touch events, a touch screen
// emulated): a one-finger knife stroke splits the sandbox, a tap opens a node's menu and pauses
// the node, two fingers pinch the timeline's scale, and a tap selects an event.
import { test, expect } from '@playwright/test';
import { beyond, exportSvg, nodeAt, readSvg, screenshots, watchErrors } from './helpers.mjs';

test.use({ viewport: { width: 1280, height: 720 }, hasTouch: true });

/** Moves fingers through `frames` (each a list of [x, y] page points, one per finger). */
async function touch(page, frames) {
  const cdp = await page.context().newCDPSession(page);
  const points = (frame) => frame.map(([x, y], id) => ({ x, y, id }));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: points(frames[0]) });
  for (const frame of frames.slice(1)) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: points(frame) });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

/** `steps` evenly spaced points from a to b. */
function line([ax, ay], [bx, by], steps) {
  return Array.from({ length: steps + 1 }, (_, k) => [ax + ((bx - ax) * k) / steps, ay + ((by - ay) * k) / steps]);
}

async function topology(page) {
  const canvas = page.locator('.topology-canvas');
  const box = await canvas.boundingBox();
  const { w, h } = await canvas.evaluate((c) => ({ w: c.clientWidth, h: c.clientHeight }));
  return { at: ([x, y]) => [box.x + x, box.y + y], w, h };
}

test('a one-finger knife stroke splits the sandbox {A,B} | {C,D,E} and split brain is reported', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('sandbox');
  await page.locator('.speed input').fill('9');
  await page.getByRole('button', { name: 'Play' }).tap();
  await page.waitForTimeout(600);
  await page.getByRole('button', { name: 'Pause' }).tap();
  const { at, w, h } = await topology(page);
  const stroke = line(at(beyond(w, h, 5, 1, 2)), at(beyond(w, h, 5, 4, 0)), 12).map((p) => [p]);
  await touch(page, stroke);
  for (const [a, b] of [['A', 'C'], ['A', 'D'], ['B', 'C'], ['B', 'E']]) {
    await expect(page.getByRole('button', { name: `Link ${a}–${b} (cut)` })).toHaveCount(1);
  }
  await expect(page.getByRole('button', { name: 'Link A–B (up)' })).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Link C–D (up)' })).toHaveCount(1);
  await page.locator('.speed input').fill('11');
  await page.getByRole('button', { name: 'Play' }).tap();
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled({ timeout: 20_000 });
  expect(await page.locator('.finding-kind').allTextContents()).toContain('split brain');
  await page.screenshot({ path: `${screenshots}/touch-knife.png` });
  expect(errors).toEqual([]);
});

test('tapping a node opens its menu, and Pause pauses it', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('sandbox');
  const { at, w, h } = await topology(page);
  const [x, y] = at(nodeAt(w, h, 5, 2));
  await page.touchscreen.tap(x, y);
  const menu = page.getByRole('dialog', { name: /C/ });
  await menu.getByRole('button', { name: 'Pause (GC)' }).tap();
  await expect(page.getByRole('button', { name: 'Node C (paused)' })).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('two fingers pinch the timeline to zoom, and a tap selects an event', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('split-brain');
  // Sixty steps in, the view follows the run at its first frame's scale, where every arrow is
  // a message's latency tall (the story frame at the end mixes arrows of many heights, so the
  // median of the few left in view after a zoom would say little).
  const step = page.getByRole('button', { name: 'Step', exact: true });
  for (let i = 0; i < 60; i++) await step.tap();
  await expect(page.locator('.time-readout')).toContainText(/^60 · /);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const before = readSvg(await exportSvg(page));
  const box = await page.locator('.timeline-canvas').boundingBox();
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  // Fingers 80 px apart move to 240 px apart: three times the scale.
  const frames = Array.from({ length: 11 }, (_, k) => {
    const half = 40 + 8 * k;
    return [[cx - 30, cy - half], [cx + 30, cy + half]];
  });
  await touch(page, frames);
  await page.waitForTimeout(150);
  const after = readSvg(await exportSvg(page));
  const ratio = median(after.slants) / median(before.slants);
  expect(ratio, 'arrows three times as tall').toBeGreaterThan(2.5);
  expect(ratio).toBeLessThan(3.5);
  // A tap on an event selects it, with its causal past and future.
  let selected = false;
  for (let y = box.y + 60; y < box.y + box.height - 10 && !selected; y += 6) {
    for (const column of [0.1, 0.3, 0.5, 0.7, 0.9]) {
      await page.touchscreen.tap(box.x + box.width * column, y);
      if ((await page.locator('.selected-event').count()) > 0) {
        selected = true;
        break;
      }
    }
  }
  expect(selected, 'a tap selected an event').toBe(true);
  await expect(page.locator('.causal-counts')).toContainText('happened before it');
  await page.screenshot({ path: `${screenshots}/touch-pinch-select.png` });
  expect(errors).toEqual([]);
});

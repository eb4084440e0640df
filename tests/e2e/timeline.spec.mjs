// The timeline and topology canvases with real pointer, wheel and keyboard input: every preset
// draws, hover and click inspect events, the camera zooms, pans and fits, the axis changes,
// exports download, and reduced motion turns playback into discrete updates.
import { test, expect } from '@playwright/test';
import { screenshots, watchErrors, runToEnd, timelinePixels } from './helpers.mjs';

test.use({ viewport: { width: 1920, height: 1080 } });

/** Counts canvas pixels within a few levels of one colour (device pixels; edges blend). */
function countColour(page, selector, [r, g, b]) {
  return page.locator(selector).evaluate((canvas, [r, g, b]) => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const near = (a, b) => Math.abs(a - b) <= 12;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (near(data[i], r) && near(data[i + 1], g) && near(data[i + 2], b)) count++;
    }
    return count;
  }, [r, g, b]);
}

test('every preset runs to its end and draws its timeline and topology', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('./');
  // The picker is filled when the app starts: wait for it, not for a time.
  await expect(page.locator('.scenario-picker option')).not.toHaveCount(0);
  const ids = await page.locator('.scenario-picker option').evaluateAll((options) => options.map((o) => o.value));
  expect(ids.length).toBeGreaterThanOrEqual(15);
  for (const id of ids) {
    await runToEnd(page, id);
    await page.getByRole('button', { name: 'Fit all' }).click();
    await page.waitForTimeout(100);
    const findings = await page.locator('.findings li').count();
    if (id !== 'sandbox') expect(findings, `${id} shows its anomaly`).toBeGreaterThan(0);
    // Lifelines are drawn, and findings are marked in the warning colour (#d55e00).
    expect(await countColour(page, '.timeline-canvas', [0x7a, 0x87, 0x97]), `${id} lifelines`).toBeGreaterThan(500);
    if (findings > 0) {
      expect(await countColour(page, '.timeline-canvas', [0xd5, 0x5e, 0x00]), `${id} markers`).toBeGreaterThan(50);
    }
    // The topology shows the nodes (white discs) and the clock readouts.
    expect(await countColour(page, '.topology-canvas', [0xff, 0xff, 0xff]), `${id} nodes`).toBeGreaterThan(1000);
    await page.getByRole('region', { name: 'Timeline' }).screenshot({ path: `${screenshots}/timeline-${id}.png` });
  }
  await page.screenshot({ path: `${screenshots}/app-last-preset.png` });
  expect(errors).toEqual([]);
});

test('hovering shows an event, clicking selects it with its causal past and future', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await runToEnd(page, 'reordered-writes');
  const canvas = page.locator('.timeline-canvas');
  const box = await canvas.boundingBox();
  // Sweep the pointer down node A's lifeline (the first of two columns) until it rests on an event.
  const x = box.x + box.width / 2 / 2;
  let found = null;
  for (let y = box.y + 45; y < box.y + box.height && !found; y += 2) {
    await page.mouse.move(x, y);
    if (await page.locator('.hover-card').count()) found = y;
  }
  expect(found, 'an event under the pointer on A').not.toBeNull();
  await expect(page.locator('.hover-card')).toContainText('Lamport');
  await expect(page.locator('.hover-card')).toContainText('true time');
  const before = await timelinePixels(page);
  await page.mouse.click(x, found);
  await expect(page.locator('.selected-event h3')).toContainText(/Event #\d+ on Server \(A\)/);
  await expect(page.locator('.selected-event .lamport')).toHaveText(/^\d+$/);
  await expect(page.locator('.selected-event .vector-clock .vector-entry')).toHaveCount(2);
  await expect(page.locator('.causal-counts')).toContainText(/\d+ events happened before it/);
  await page.waitForTimeout(100);
  expect(await timelinePixels(page), 'selection repaints the causal highlights').not.toEqual(before);
  // Past events are orange (#e69f00) or the selection is the very first event.
  await page.screenshot({ path: `${screenshots}/timeline-selected.png` });
  // Clicking empty space clears the selection.
  await page.mouse.click(box.x + 5, box.y + box.height - 5);
  await expect(page.locator('.selected-event')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('keyboard selects events, zooms and fits; findings jump to their event', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await runToEnd(page, 'split-brain');
  await page.locator('.timeline-canvas').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('.selected-event h3')).toContainText(/Event #\d+/);
  const first = await page.locator('.selected-event h3').textContent();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('.selected-event h3')).not.toHaveText(first);
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('.selected-event h3')).toHaveText(first);
  await page.keyboard.press('Escape');
  await expect(page.locator('.selected-event')).toHaveCount(0);

  // An ended run rests on its story; 0 fits the whole run.
  await page.keyboard.press('0');
  await page.waitForTimeout(100);
  const fitted = await timelinePixels(page);
  for (let i = 0; i < 4; i++) await page.keyboard.press('+');
  await page.waitForTimeout(100);
  const zoomed = await timelinePixels(page);
  expect(zoomed, 'zooming in changes the view').not.toEqual(fitted);
  await page.keyboard.press('ArrowDown');
  await page.waitForTimeout(100);
  expect(await timelinePixels(page), 'arrow keys scroll').not.toEqual(zoomed);
  await page.keyboard.press('0');
  await page.waitForTimeout(100);
  expect(await timelinePixels(page), 'fit all returns to the whole run').toEqual(fitted);

  await page.locator('.finding-link').first().click();
  await expect(page.locator('.selected-event h3')).toContainText(/Event #\d+/);
  expect(errors).toEqual([]);
});

test('drag pans, Ctrl+wheel zooms, wheel scrolls, and the axis can change', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await runToEnd(page, 'lww-clock-skew');
  await page.getByRole('button', { name: 'Fit all' }).click();
  await page.waitForTimeout(100);
  const canvas = page.locator('.timeline-canvas');
  const box = await canvas.boundingBox();
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  const start = await timelinePixels(page);

  await page.mouse.move(cx, cy);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -400);
  await page.keyboard.up('Control');
  await page.waitForTimeout(100);
  const zoomed = await timelinePixels(page);
  expect(zoomed, 'Ctrl+wheel zooms').not.toEqual(start);
  const pageZoom = await page.evaluate(() => window.visualViewport.scale);
  expect(pageZoom, 'the page itself did not zoom').toBe(1);

  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx, cy - 150, { steps: 5 });
  await page.mouse.up();
  await page.waitForTimeout(100);
  const dragged = await timelinePixels(page);
  expect(dragged, 'dragging pans').not.toEqual(zoomed);
  await expect(page.locator('.selected-event'), 'a drag is not a click').toHaveCount(0);

  await page.mouse.wheel(0, 300);
  await page.waitForTimeout(100);
  expect(await timelinePixels(page), 'the wheel scrolls').not.toEqual(dragged);

  for (const axis of ['local-clock', 'lamport', 'true-time']) {
    await page.getByRole('combobox', { name: 'Axis' }).selectOption(axis);
    await page.getByRole('button', { name: 'Fit all' }).click();
    await page.waitForTimeout(100);
    await page.getByRole('region', { name: 'Timeline' }).screenshot({ path: `${screenshots}/timeline-axis-${axis}.png` });
  }
  expect(errors).toEqual([]);
});

test('the timeline exports as well-formed SVG and as PNG', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await runToEnd(page, 'gc-pause-fencing');
  const [svg] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.export-menu > summary').click().then(() => page.getByRole('button', { name: 'SVG' }).click()),
  ]);
  expect(svg.suggestedFilename()).toBe('faultline-gc-pause-fencing.svg');
  const text = await (await svg.createReadStream()).toArray().then((c) => Buffer.concat(c).toString());
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      error: doc.querySelector('parsererror') !== null,
      lifelines: doc.querySelectorAll('.lifeline').length,
      findings: doc.querySelectorAll('.finding').length,
    };
  }, text);
  expect(parsed).toEqual({ error: false, lifelines: 4, findings: expect.any(Number) });
  expect(parsed.findings).toBeGreaterThan(0);

  const [png] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.export-menu > summary').click().then(() => page.getByRole('button', { name: 'PNG', exact: true }).click()),
  ]);
  expect(png.suggestedFilename()).toBe('faultline-gc-pause-fencing.png');
  const bytes = Buffer.concat(await (await png.createReadStream()).toArray());
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.length).toBeGreaterThan(5_000);
  expect(errors).toEqual([]);
});

test('reduced motion turns playback into discrete updates', async ({ browser }) => {
  const distinctFrames = async (reducedMotion) => {
    const context = await browser.newContext({ reducedMotion, viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto('./');
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('sandbox');
    await page.locator('.speed input').fill('6'); // 100 events/s
    await page.getByRole('button', { name: 'Play' }).click();
    const frames = new Set();
    const start = Date.now();
    for (let i = 0; i < 20; i++) {
      frames.add(await timelinePixels(page));
      await page.waitForTimeout(100);
    }
    // Sampling takes longer on a busy machine: the updates are judged per second sampled.
    const seconds = (Date.now() - start) / 1000;
    expect(errors).toEqual([]);
    await context.close();
    return { size: frames.size, seconds };
  };
  const smooth = await distinctFrames('no-preference');
  const discrete = await distinctFrames('reduce');
  expect(smooth.size, 'normal playback changes nearly every sample').toBeGreaterThan(12);
  // One update every 500 ms, plus the first picture and one at either edge of the window.
  expect(discrete.size, `reduced motion: about two updates a second (${discrete.seconds.toFixed(1)} s sampled)`)
    .toBeLessThanOrEqual(Math.ceil(discrete.seconds * 2) + 2);
  expect(discrete.size, 'reduced motion still moves').toBeGreaterThan(1);
});

test('canvases are crisp on HiDPI screens and follow the dark theme', async ({ browser }) => {
  const context = await browser.newContext({
    deviceScaleFactor: 2,
    colorScheme: 'dark',
    viewport: { width: 1280, height: 720 },
  });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('./');
  await runToEnd(page, 'slow-clock-lease');
  for (const selector of ['.timeline-canvas', '.topology-canvas']) {
    const size = await page.locator(selector).evaluate((c) => ({
      backing: [c.width, c.height],
      css: [c.clientWidth, c.clientHeight],
    }));
    expect(size.backing, `${selector} backing store at device pixels`).toEqual(size.css.map((v) => v * 2));
  }
  // The dark palette's background (#0b1117) fills the timeline's empty corner.
  const corner = await page.locator('.timeline-canvas').evaluate((c) => [...c.getContext('2d').getImageData(4, c.height - 4, 1, 1).data.slice(0, 3)]);
  expect(corner).toEqual([0x0b, 0x11, 0x17]);
  await page.screenshot({ path: `${screenshots}/app-hidpi-dark.png` });
  expect(errors).toEqual([]);
  await context.close();
});

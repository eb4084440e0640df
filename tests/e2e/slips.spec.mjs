// Text and drawing slips, on screen: lifeline headers at the window widths where they used to
// run into each other (and in projector mode), a one-way cut's arrowheads, and clocks a few
// milliseconds apart reading differently. Screenshots land in tests/e2e/output/screenshots.
import { test, expect } from '@playwright/test';
import { exportSvg, nodeAt, screenshots, watchErrors } from './helpers.mjs';

/** The timeline's headers as drawn: each text, its centre and its width measured by the
 * browser in the canvas's own header font (the SVG export carries the same layout at its 15 px
 * type, so the canvas's own pixels are measured from a fresh layout of the same texts). */
async function headersOnCanvas(page) {
  const svg = await exportSvg(page);
  const texts = [...svg.matchAll(/<text class="node-name" x="([^"]*)"[^>]*style="font-size:([^"]*)px">(?:<title>([^<]*)<\/title>)?([^<]*)<\/text>/g)]
    .map((m) => ({ x: Number(m[1]), px: Number(m[2]), full: m[3] || m[4], text: m[4] }));
  const width = await page.locator('.timeline-canvas').evaluate((c) => c.clientWidth);
  const measured = await page.evaluate((texts) => {
    const c = document.createElement('canvas').getContext('2d');
    return texts.map(({ text, px }) => {
      c.font = `600 ${px}px system-ui, sans-serif`;
      return c.measureText(text).width;
    });
  }, texts);
  return { width, headers: texts.map((t, i) => ({ ...t, measured: measured[i] })) };
}

function expectApartAndInside({ width, headers }, where) {
  for (const h of headers) {
    expect(h.x - h.measured / 2, `${where}: “${h.text}” starts inside the canvas`).toBeGreaterThanOrEqual(0);
    expect(h.x + h.measured / 2, `${where}: “${h.text}” ends inside the canvas`).toBeLessThanOrEqual(width);
  }
  for (let i = 1; i < headers.length; i++) {
    const [a, b] = [headers[i - 1], headers[i]];
    expect(a.x + a.measured / 2, `${where}: “${a.text}” ends before “${b.text}” starts`)
      .toBeLessThan(b.x - b.measured / 2);
  }
}

for (const width of [640, 700, 760, 820, 1280]) {
  test(`lifeline headers never run into each other in a ${width} px window`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.setViewportSize({ width, height: 800 });
    await page.goto('./');
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('gc-pause-fencing');
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    const laid = await headersOnCanvas(page);
    expect(laid.headers.map((h) => h.full)).toEqual(['Lock service (A)', 'Storage (B)', 'Client C', 'Client D']);
    expectApartAndInside(laid, `${width} px`);
    await expect(page.locator('.timeline-canvas')).toHaveAttribute('aria-label', /left to right: Lock service \(A\), Storage \(B\), Client C, Client D/);
    const box = await page.locator('.timeline-canvas').boundingBox();
    await page.screenshot({ path: `${screenshots}/slips-headers-${width}.png`, clip: { x: box.x, y: box.y, width: box.width, height: 60 } });
    expect(errors).toEqual([]);
  });
}

test('lifeline headers fit in projector mode too', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 760, height: 800 });
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('gc-pause-fencing');
  await page.locator('body').press('p');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.waitForTimeout(200);
  const box = await page.locator('.timeline-canvas').boundingBox();
  await page.screenshot({ path: `${screenshots}/slips-headers-projector.png`, clip: { x: box.x, y: box.y, width: box.width, height: 60 } });
  expect(errors).toEqual([]);
});

test.describe('on a sharp screen', () => {
test.use({ deviceScaleFactor: 2 });
test('a one-way cut shows which way is cut with arrowheads', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('sandbox');
  const canvas = page.locator('.topology-canvas');
  const { w, h } = await canvas.evaluate((c) => ({ w: c.clientWidth, h: c.clientHeight }));
  const box = await canvas.boundingBox();
  // Drag from node A to node B: the cut of A→B only.
  const [ax, ay] = nodeAt(w, h, 5, 0);
  const [bx, by] = nodeAt(w, h, 5, 1);
  await page.mouse.move(box.x + ax, box.y + ay);
  await page.mouse.down();
  await page.mouse.move(box.x + bx, box.y + by, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByRole('button', { name: 'Link A–B (A→B cut)' })).toHaveCount(1);
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${screenshots}/slips-one-way-cut.png`, clip: box });
  // Close up on the link: the cut lane (dashed, ✗) ends in an orange head at B, the lane still
  // up (B→A) in a grey head at A.
  const [left, top] = [Math.min(ax, bx) - 40, Math.min(ay, by) - 40];
  await page.screenshot({
    path: `${screenshots}/slips-one-way-cut-close.png`,
    clip: { x: box.x + left, y: box.y + top, width: Math.abs(bx - ax) + 80, height: Math.abs(by - ay) + 80 },
  });
  expect(errors).toEqual([]);
});
});

test('clocks a few milliseconds apart read differently (lww-clock-skew)', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('lww-clock-skew');
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  const canvas = page.locator('.topology-canvas');
  const { w, h } = await canvas.evaluate((c) => ({ w: c.clientWidth, h: c.clientHeight }));
  const box = await canvas.boundingBox();
  await page.screenshot({ path: `${screenshots}/slips-clocks.png`, clip: box });
  const offsets = [];
  for (const [i, name] of [[0, 'A'], [2, 'C']]) {
    const [x, y] = nodeAt(w, h, 3, i);
    await page.mouse.click(box.x + x, box.y + y);
    const menu = page.getByRole('dialog', { name: `Node ${name}` });
    offsets.push(await menu.locator('.clock-control legend').first().textContent());
    await menu.getByRole('button', { name: 'Close' }).click();
  }
  expect(offsets).toEqual(['Clock offset +41.994 s', 'Clock offset +41.973 s']);
  expect(errors).toEqual([]);
});

// Shared by the end-to-end specs.
import http from 'node:http';
import { expect, test } from '@playwright/test';

export const screenshots = 'tests/e2e/output/screenshots';

/** Collects console errors and uncaught page errors for the whole test. */
export function watchErrors(page) {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  return errors;
}

/** Loads a preset, plays it as fast as possible and waits for the end of the run. */
export async function runToEnd(page, scenario) {
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption(scenario);
  await page.locator('.speed input').fill('11');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled({ timeout: 20_000 });
}

/** The timeline canvas's pixels as a data URL (what the person sees). */
export function timelinePixels(page) {
  return page.locator('.timeline-canvas').evaluate((canvas) => canvas.toDataURL());
}

/** Downloads the timeline as SVG (the Export menu) and returns its text. */
export async function exportSvg(page) {
  await page.locator('.export-menu summary').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'SVG' }).click(),
  ]);
  return Buffer.concat(await (await download.createReadStream()).toArray()).toString();
}

/** The labels an SVG carries, and its delivered arrows' heights. */
export function readSvg(svg) {
  const labels = [...svg.matchAll(/<g class="label[^"]*"><rect[^>]*\/><text[^>]*>([^<]*)<\/text><\/g>/g)]
    .map((m) => m[1].replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>'));
  const slants = [...svg.matchAll(/<line class="arrow delivered[^"]*" x1="[^"]*" y1="([^"]*)" x2="[^"]*" y2="([^"]*)"/g)]
    .map((m) => Math.abs(Number(m[2]) - Number(m[1])));
  const events = (svg.match(/data-event=/g) || []).length;
  return { labels, slants, events };
}

/** Where node `i` of `n` sits on the topology canvas (mirrors `render::topology::node_position`
 * for views at least 260 px each way). */
export function nodeAt(w, h, n, i) {
  const [top, bottom, side] = [72, 56, 96]; // TopologyView::margins, not compact
  const cy = top + Math.max(h - top - bottom, 0) / 2;
  const ring = Math.max(Math.min((w / 2 - side) / 1.3, (h - top - bottom) / 2.6), Math.min(w, h) * 0.15);
  const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
  return [w / 2 + ring * Math.cos(angle), cy + ring * Math.sin(angle), w / 2, cy];
}

/** A point outside the ring, beyond the midpoint of nodes i and j. */
export function beyond(w, h, n, i, j) {
  const [xi, yi, cx, cy] = nodeAt(w, h, n, i);
  const [xj, yj] = nodeAt(w, h, n, j);
  const [mx, my] = [(xi + xj) / 2, (yi + yj) / 2];
  return [cx + (mx - cx) * 1.35, cy + (my - cy) * 1.35];
}

/** Frames the page draws per second over `ms`, counted with requestAnimationFrame (the hunt's
 * e2e test and `make bench`). */
export function framesPerSecond(page, ms) {
  return page.evaluate(async (ms) => {
    let frames = 0;
    const start = performance.now();
    while (performance.now() - start < ms) {
      await new Promise(requestAnimationFrame);
      frames++;
    }
    return frames / ((performance.now() - start) / 1000);
  }, ms);
}

/** A host page on another origin than the app's, served by the spec itself on another port of
 * this machine (Chromium blocks public pages from framing local addresses, so a faked public
 * host cannot). Call at a spec's top level; set `host.body` to the page to serve (at any path),
 * `host.origin()` is its origin. */
export function hostServer() {
  const host = { body: '', server: null, origin: () => `http://127.0.0.1:${host.server.address().port}` };
  test.beforeAll(async () => {
    host.server = http.createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(host.body);
    });
    await new Promise((resolve) => host.server.listen(0, '127.0.0.1', resolve));
  });
  test.afterAll(() => new Promise((resolve) => host.server.close(resolve)));
  return host;
}

/** Drags the pointer along `points` (canvas CSS coordinates) over the topology: a knife stroke,
 * or a drag from one node to another. */
export async function stroke(page, points) {
  const box = await page.locator('.topology-canvas').boundingBox();
  const [first, ...rest] = points;
  await page.mouse.move(box.x + first[0], box.y + first[1]);
  await page.mouse.down();
  for (const [x, y] of rest) await page.mouse.move(box.x + x, box.y + y, { steps: 4 });
  await page.mouse.up();
}

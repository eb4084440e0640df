// The postMessage API: a host page on another origin drives an embedded Faultline and hears
// back what happens; malformed messages and strangers are ignored with a console warning.
import http from 'node:http';
import { test, expect } from '@playwright/test';
import { screenshots, watchErrors } from './helpers.mjs';

test.use({ viewport: { width: 1280, height: 800 } });

// The host page is served by the test itself on another port: another origin, on this machine
// (Chromium blocks public pages from framing local addresses, so a faked public host cannot).
let host;
let hostPageBody = '';
test.beforeAll(async () => {
  host = http.createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(hostPageBody);
  });
  await new Promise((resolve) => host.listen(0, '127.0.0.1', resolve));
});
test.afterAll(() => new Promise((resolve) => host.close(resolve)));
const hostOf = () => `http://127.0.0.1:${host.address().port}`;

/** A host page (served by the test on its own origin) framing the embed at `src`. */
function hostPage(src) {
  return `<!doctype html><meta charset="utf-8"><title>Host</title>
<h1 style="font:16px sans-serif">A blog post</h1>
<iframe id="embed" src="${src}" width="960" height="540" style="border:0"></iframe>
<script>
  window.events = [];
  window.addEventListener('message', (e) => {
    if (e.source === document.getElementById('embed').contentWindow) window.events.push(e.data);
  });
  window.send = (data) => document.getElementById('embed').contentWindow.postMessage(data, '*');
</script>`;
}

async function openHost(page, baseURL, query) {
  const src = `${baseURL}?embed=1${query}`;
  hostPageBody = hostPage(src);
  await page.goto(`${hostOf()}/blog/post.html`);
  const frame = page.frameLocator('#embed');
  await expect(frame.locator('.time-readout')).toHaveText(/^0 ·/);
  return frame;
}

const events = (page, type) =>
  page.evaluate((type) => window.events.filter((e) => e.type === type), type);
const lastStep = async (page) => (await events(page, 'faultline:step')).at(-1);

test('a host page drives the embed and receives its events', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  const frame = await openHost(page, baseURL, `&scenario=split-brain&origin=${encodeURIComponent(hostOf())}`);

  await expect.poll(() => events(page, 'faultline:ready')).toHaveLength(1);
  const [ready] = await events(page, 'faultline:ready');
  expect(ready).toMatchObject({ scenario: 'split-brain', fix: false });
  expect(ready.scenarios).toContain('sandbox');
  await expect.poll(async () => (await lastStep(page))?.step).toBe(0);

  await page.evaluate(() => window.send({ type: 'faultline:step', count: 12 }));
  await expect.poll(async () => (await lastStep(page))?.step).toBe(12);
  await expect(frame.locator('.time-readout')).toHaveText(/^12 ·/);

  await page.evaluate(() => window.send({ type: 'faultline:seek', step: 5 }));
  await expect.poll(async () => (await lastStep(page))?.step).toBe(5);

  // Play to the end: the split brain is found and reported.
  await page.evaluate(() => window.send(JSON.stringify({ type: 'faultline:play', speed: 100000 })));
  await expect.poll(async () => (await lastStep(page))?.finished, { timeout: 20_000 }).toBe(true);
  const findings = await events(page, 'faultline:finding');
  expect(findings.map((f) => f.kind)).toContain('SplitBrain');
  expect(findings[0]).toMatchObject({ index: 0 });
  expect(typeof findings[0].summary).toBe('string');
  await page.screenshot({ path: `${screenshots}/host-driven-embed.png` });

  // Load another scenario with its fix on; then turn the fix off.
  await page.evaluate(() => window.send({ type: 'faultline:load', scenario: 'gc-pause-fencing', fix: true }));
  await expect.poll(async () => (await events(page, 'faultline:ready')).at(-1))
    .toMatchObject({ scenario: 'gc-pause-fencing', fix: true });
  await expect(frame.locator('.time-readout')).toHaveText(/^0 ·/);
  await page.evaluate(() => window.send({ type: 'faultline:set-fix', enabled: false }));
  await expect.poll(async () => (await events(page, 'faultline:ready')).at(-1))
    .toMatchObject({ scenario: 'gc-pause-fencing', fix: false });
  await page.evaluate(() => window.send({ type: 'faultline:play', speed: 20 }));
  await expect(frame.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect.poll(async () => (await lastStep(page))?.step).toBeGreaterThan(0);
  await page.evaluate(() => window.send({ type: 'faultline:pause' }));
  await expect(frame.getByRole('button', { name: 'Play' })).toBeVisible();

  // Garbage is ignored with a warning, and the embed keeps working.
  const before = warnings.length;
  await page.evaluate(() => {
    window.send('not json at all');
    window.send({ type: 'faultline:explode' });
    window.send({ type: 'faultline:seek', step: -4 });
    window.send({ type: 'faultline:load', scenario: '<img src=x onerror=alert(1)>' });
    window.send(42);
  });
  await expect.poll(() => warnings.length - before).toBe(5);
  const said = warnings.slice(before).join('\n');
  expect(said).toContain('is not JSON');
  expect(said).toContain('“faultline:explode” is not a command Faultline can carry out');
  expect(said).toContain('names no scenario this version has');
  await page.evaluate(() => {
    window.send({ type: 'faultline:seek', step: 3 });
    window.send({ type: 'faultline:step' });
  });
  await expect.poll(async () => (await lastStep(page))?.step).toBe(4);
  await expect(frame.locator('.time-readout')).toHaveText(/^4 ·/);
  expect(errors).toEqual([]);
});

test('an embed restricted to one origin ignores every other page', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  const frame = await openHost(page, baseURL, `&origin=${encodeURIComponent('https://elsewhere.example')}`);
  await page.evaluate(() => window.send({ type: 'faultline:step', count: 5 }));
  await expect.poll(() => warnings.join('\n'))
    .toContain(`ignored a message from ${hostOf()}: only https://elsewhere.example may drive this embed`);
  await expect(frame.locator('.time-readout')).toHaveText(/^0 ·/);
  // Its events go only to that origin, so this host hears nothing.
  expect(await page.evaluate(() => window.events.length)).toBe(0);
  expect(errors).toEqual([]);
});

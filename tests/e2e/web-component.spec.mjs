// The web component <faultline-embed> (assets/faultline-embed.js) on a host page of another
// origin: attributes open the embed, methods drive it (even before it is ready), its events reach
// only its own element, height="auto" follows the embed, and the documented scroll-driven post
// (docs/embed-example.html, served as it is) moves the embed as the reader scrolls.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { screenshots, watchErrors } from './helpers.mjs';

test.use({ viewport: { width: 1280, height: 800 } });

// Host pages are served by the test itself on another port: another origin (see host.spec.mjs).
let host;
const pages = new Map();
test.beforeAll(async () => {
  host = http.createServer((request, response) => {
    const path = new URL(request.url, 'http://x').pathname;
    if (path === '/favicon.ico') return response.writeHead(204).end();
    const body = pages.get(path);
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(body ?? 'not found');
  });
  await new Promise((resolve) => host.listen(0, '127.0.0.1', resolve));
});
test.afterAll(() => new Promise((resolve) => host.close(resolve)));
const hostOf = () => `http://127.0.0.1:${host.address().port}`;

/** Serves `body` (the component's script tag first) at `path` on the host and opens it. */
async function openHost(page, baseURL, path, body) {
  pages.set(path, `<!doctype html><meta charset="utf-8"><title>Host</title>
<script type="module" src="${baseURL}assets/faultline-embed.js"></script>
<h1 style="font:16px sans-serif;margin:4px">A blog post</h1>
${body}`);
  await page.goto(`${hostOf()}${path}`);
}

/** Records every event of each `<faultline-embed>` with an id, as `window.log[id]`. */
const RECORD = `<script type="module">
  window.log = {};
  for (const el of document.querySelectorAll('faultline-embed[id]')) {
    window.log[el.id] = [];
    for (const type of ['faultline-ready', 'faultline-step', 'faultline-finding', 'faultline-error']) {
      el.addEventListener(type, (e) => window.log[el.id].push({ event: type, ...e.detail }));
    }
  }
</script>`;

const logOf = (page, id, event) =>
  page.evaluate(([id, event]) => window.log[id].filter((e) => e.event === event), [id, event]);
const readout = (page, id) => page.frameLocator(`#${id} iframe`).locator('.time-readout');
const prop = (page, id, name) => page.evaluate(([id, name]) => document.getElementById(id)[name], [id, name]);

test('two embeds open their own runs, follow their attributes and hear only their own events', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  await openHost(page, baseURL, '/two.html', `
<faultline-embed id="a" scenario="split-brain" step="40" width="800" height="450"></faultline-embed>
<faultline-embed id="b" scenario="gc-pause-fencing" width="640" height="auto"></faultline-embed>
<script>
  // The height messages each embed sends, as the host page hears them.
  window.heights = { a: [], b: [] };
  window.addEventListener('message', (e) => {
    for (const el of document.querySelectorAll('faultline-embed')) {
      if (el.iframe && e.source === el.iframe.contentWindow && e.data?.type === 'faultline:height') {
        window.heights[el.id].push(e.data.height);
      }
    }
  });
</script>
${RECORD}`);

  // Each its own ready, with its own scenario; a opens at step 40.
  await expect.poll(() => logOf(page, 'a', 'faultline-ready')).toHaveLength(1);
  await expect.poll(() => logOf(page, 'b', 'faultline-ready')).toHaveLength(1);
  const [readyA] = await logOf(page, 'a', 'faultline-ready');
  const [readyB] = await logOf(page, 'b', 'faultline-ready');
  expect(readyA).toMatchObject({ scenario: 'split-brain', fix: false });
  expect(readyB).toMatchObject({ scenario: 'gc-pause-fencing', fix: false });
  expect(readyA.scenarios).toContain('gc-pause-fencing');
  expect(readyA.steps).toBeGreaterThan(40);
  expect(readyA.keyMoment.step).toBeGreaterThan(0);
  await expect(readout(page, 'a')).toHaveText(/^40 ·/);
  await expect(readout(page, 'b')).toHaveText(/^0 ·/);
  await expect.poll(() => prop(page, 'a', 'currentStep')).toBe(40);
  expect(await prop(page, 'a', 'isReady')).toBe(true);
  expect(await prop(page, 'a', 'scenarios')).toEqual(readyA.scenarios);
  expect(await prop(page, 'a', 'totalSteps')).toBe(readyA.steps);
  expect(await prop(page, 'a', 'keyMoment')).toEqual(readyA.keyMoment);
  // The iframe's title follows the run's title; its address names this page as its only driver.
  const frameA = page.locator('#a iframe');
  await expect(frameA).toHaveAttribute('title', `Faultline: ${readyA.title}`);
  await expect(frameA).toHaveAttribute('loading', 'lazy');
  const src = new URL(await frameA.getAttribute('src'));
  expect(src.href.startsWith(baseURL)).toBe(true);
  expect(Object.fromEntries(src.searchParams)).toEqual({
    embed: '1', scenario: 'split-brain', step: '40', origin: hostOf(),
  });
  expect(await page.locator('#a').evaluate((el) => el.getBoundingClientRect().width)).toBe(800);
  expect(await page.locator('#a').evaluate((el) => el.getBoundingClientRect().height)).toBe(450);

  // Changing the attribute seeks; b hears nothing of it.
  const stepsOfB = (await logOf(page, 'b', 'faultline-step')).length;
  await page.locator('#a').evaluate((el) => el.setAttribute('step', '12'));
  await expect(readout(page, 'a')).toHaveText(/^12 ·/);
  await expect.poll(() => prop(page, 'a', 'currentStep')).toBe(12);
  await page.locator('#a').evaluate((el) => el.step(3));
  await expect(readout(page, 'a')).toHaveText(/^15 ·/);
  await expect.poll(async () => (await logOf(page, 'a', 'faultline-step')).at(-1).step).toBe(15);
  await expect(readout(page, 'b')).toHaveText(/^0 ·/);
  expect((await logOf(page, 'b', 'faultline-step')).length).toBe(stepsOfB);
  expect((await logOf(page, 'b', 'faultline-step')).every((e) => e.step === 0)).toBe(true);
  expect((await logOf(page, 'a', 'faultline-ready')).every((e) => e.scenario === 'split-brain')).toBe(true);
  expect((await logOf(page, 'b', 'faultline-ready')).every((e) => e.scenario === 'gc-pause-fencing')).toBe(true);

  // Play a to its end: its findings are its own.
  await page.locator('#a').evaluate((el) => el.play(100000));
  await expect.poll(() => prop(page, 'a', 'finished'), { timeout: 20_000 }).toBe(true);
  const findings = await prop(page, 'a', 'findings');
  expect(findings.map((f) => f.kind)).toContain('SplitBrain');
  expect(await logOf(page, 'a', 'faultline-finding')).toHaveLength(findings.length);
  expect(await logOf(page, 'b', 'faultline-finding')).toHaveLength(0);

  // A new `panels` reloads a's embed, at the step its attribute says now.
  const readyAtOnce = await page.locator('#a').evaluate((el) => {
    el.setAttribute('panels', 'narration');
    return el.isReady;
  });
  expect(readyAtOnce).toBe(false);
  await expect.poll(() => logOf(page, 'a', 'faultline-ready')).toHaveLength(2);
  expect(new URL(await frameA.getAttribute('src')).searchParams.get('panels')).toBe('narration');
  await expect(readout(page, 'a')).toHaveText(/^12 ·/);
  await expect(page.frameLocator('#a iframe').locator('.narration-lines')).toBeVisible();
  expect(await prop(page, 'a', 'findings')).toEqual([]);
  // reset(): back to how the address opened, step 12 and all.
  await page.locator('#a').evaluate((el) => el.step(4));
  await expect(readout(page, 'a')).toHaveText(/^16 ·/);
  const reset = await page.locator('#a').evaluate((el) => { el.reset(); return el.ready; });
  expect(reset).toMatchObject({ scenario: 'split-brain', fix: false });
  await expect(readout(page, 'a')).toHaveText(/^12 ·/);
  await expect.poll(() => prop(page, 'a', 'currentStep')).toBe(12);

  // height="auto": b is as tall as its embed asks (the last height message it sent)...
  await expect.poll(() => page.evaluate(() => window.heights.b.length)).toBeGreaterThan(0);
  const wanted = async (id) => Math.ceil((await page.evaluate((id) => window.heights[id], id)).at(-1));
  const heightOfB = () => page.locator('#b').evaluate((el) => el.getBoundingClientRect().height);
  await expect.poll(async () => (await heightOfB()) === (await wanted('b'))).toBe(true);
  const before = await heightOfB();
  expect(before).toBeGreaterThanOrEqual(120);
  // ...and deaf to a forged one from the host page's own window (the marker posted after it
  // arrives after the component has heard the forgery).
  await page.evaluate(() => new Promise((resolve) => {
    window.addEventListener('message', (e) => { if (e.data === 'marker') resolve(); });
    window.postMessage({ type: 'faultline:height', height: 3000 }, '*');
    window.postMessage('marker', '*');
  }));
  expect(await heightOfB()).toBe(before);
  // a, whose height is fixed, does not follow its embed's height, until it is told to (the
  // embed said its height once, before: the element kept it).
  const heightOfA = () => page.locator('#a').evaluate((el) => el.getBoundingClientRect().height);
  expect(await heightOfA()).toBe(450);
  expect(await wanted('a')).not.toBe(450);
  await page.locator('#a').evaluate((el) => el.setAttribute('height', 'auto'));
  expect(await heightOfA()).not.toBe(450);
  await expect.poll(async () => (await heightOfA()) === (await wanted('a'))).toBe(true);
  await page.screenshot({ path: `${screenshots}/web-component-two.png` });
  expect(errors).toEqual([]);
});

test('methods called at once are held and applied; load, reset and the fix renew ready', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  await openHost(page, baseURL, '/methods.html', `
<script type="module">
  const el = document.createElement('faultline-embed');
  el.id = 'm';
  el.setAttribute('scenario', 'split-brain');
  document.body.append(el);
  window.log = { m: [] };
  for (const type of ['faultline-ready', 'faultline-step', 'faultline-error']) {
    el.addEventListener(type, (e) => window.log.m.push({ event: type, ...e.detail }));
  }
  // Before the iframe exists, let alone the embed is ready.
  el.step(7);
  el.seek(30);
  el.step(2);
  window.firstReady = el.ready;
</script>`);
  await expect(readout(page, 'm')).toHaveText(/^32 ·/);
  await expect.poll(() => prop(page, 'm', 'currentStep')).toBe(32);
  expect(await page.evaluate(() => window.firstReady.then((r) => r.scenario))).toBe('split-brain');
  expect(await logOf(page, 'm', 'faultline-error')).toEqual([]);

  // load: a fresh run, and a fresh ready promise.
  const loaded = await page.locator('#m').evaluate((el) => {
    el.load({ scenario: 'gc-pause-fencing', fix: true });
    return el.isReady ? 'still ready' : el.ready;
  });
  expect(loaded).toMatchObject({ scenario: 'gc-pause-fencing', fix: true });
  await expect(readout(page, 'm')).toHaveText(/^0 ·/);
  const titled = await page.locator('#m iframe').getAttribute('title');
  expect(titled).toBe(`Faultline: ${loaded.title}`);

  // setFix, then reset: back to the run the address opened (split-brain, no fix, step 0).
  const fixedOff = await page.locator('#m').evaluate((el) => { el.setFix(false); return el.ready; });
  expect(fixedOff).toMatchObject({ scenario: 'gc-pause-fencing', fix: false });
  await page.locator('#m').evaluate((el) => el.step(5));
  await expect(readout(page, 'm')).toHaveText(/^5 ·/);
  const reset = await page.locator('#m').evaluate((el) => { el.reset(); return el.ready; });
  expect(reset).toMatchObject({ scenario: 'split-brain', fix: false });
  await expect(readout(page, 'm')).toHaveText(/^0 ·/);
  await expect.poll(() => prop(page, 'm', 'currentStep')).toBe(0);
  expect((await logOf(page, 'm', 'faultline-ready')).map((r) => r.scenario))
    .toEqual(['split-brain', 'gc-pause-fencing', 'gc-pause-fencing', 'split-brain']);

  // The fix attribute loads the scenario again with its fix on.
  const fixOn = await page.locator('#m').evaluate((el) => { el.setAttribute('fix', ''); return el.ready; });
  expect(fixOn).toMatchObject({ scenario: 'split-brain', fix: true });
  expect(await logOf(page, 'm', 'faultline-error')).toEqual([]);
  expect(errors).toEqual([]);
});

test('mistakes in attributes and arguments never throw: the embed says what is wrong', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await openHost(page, baseURL, '/mistakes.html', `
<faultline-embed id="x" scenario="splitbrain" step="forty" fix="maybe" src=""></faultline-embed>
<faultline-embed id="y" scenario="split-brain" src="http://[no-such-host"></faultline-embed>
${RECORD}`);
  // Both open anyway: x on the default scenario (its notice names the mistakes), y from the
  // module's own base, since its src is no address.
  await expect.poll(() => logOf(page, 'x', 'faultline-ready')).toHaveLength(1);
  await expect.poll(() => logOf(page, 'y', 'faultline-ready')).toHaveLength(1);
  await expect(page.frameLocator('#x iframe').locator('.embed-notice')).toContainText('splitbrain');
  expect(warnings.join('\n')).toContain('src=“http://[no-such-host” is not an address');

  // Wrong arguments go to the embed, which answers with an error naming the command's id; the
  // ready promise is not left waiting for a run that was refused.
  const ids = await page.locator('#x').evaluate((el) => [el.seek('abc'), el.load({ scenario: 'nope' })]);
  await expect.poll(async () => (await logOf(page, 'x', 'faultline-error')).map((e) => e.id)).toEqual(ids);
  const [seekError, loadError] = await logOf(page, 'x', 'faultline-error');
  expect(seekError).toMatchObject({ command: 'faultline:seek' });
  expect(loadError).toMatchObject({ command: 'faultline:load' });
  expect(typeof loadError.message).toBe('string');
  expect(await page.locator('#x').evaluate((el) => el.ready.then(() => el.isReady))).toBe(true);
  // A value that cannot be posted at all is reported the same way, without throwing.
  const unsent = await page.locator('#x').evaluate((el) => {
    const id = el.load({ scenario: () => 1 });
    return { id, errors: window.log.x.filter((e) => e.event === 'faultline-error').length };
  });
  expect(unsent.errors).toBe(3);
  // An attribute that makes no sense is passed on, and the embed says so.
  await page.locator('#y').evaluate((el) => el.setAttribute('step', 'later'));
  await expect.poll(async () => (await logOf(page, 'y', 'faultline-error')).length).toBe(1);
  await page.locator('#y').evaluate((el) => el.setAttribute('step', '9'));
  await expect(readout(page, 'y')).toHaveText(/^9 ·/);
  expect(errors).toEqual([]);
});

test('a copy of the module with no address of its own needs src, and says so without throwing', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  // The module loaded from a blob: URL, as a bundler might: "../" of it is no address.
  pages.set('/blob.html', `<!doctype html><meta charset="utf-8"><title>Host</title>
<faultline-embed id="lost" scenario="split-brain"></faultline-embed>
<script type="module">
  const code = await (await fetch('${baseURL}assets/faultline-embed.js')).text();
  await import(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
  const lost = document.getElementById('lost');
  window.held = lost.seek(5);
</script>`);
  await page.goto(`${hostOf()}/blob.html`);
  await expect(page.locator('#lost p')).toHaveText(/needs src, the app's address/);
  expect(await page.locator('#lost').evaluate((el) => el.iframe)).toBeNull();
  expect(warnings.join('\n')).toContain('has no address to load');
  // Given src, it loads, and the command held all along is carried out.
  await page.locator('#lost').evaluate((el, base) => el.setAttribute('src', base), baseURL);
  await expect(readout(page, 'lost')).toHaveText(/^5 ·/);
  await expect(page.locator('#lost p')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the documented scroll-driven post moves its embed as the reader scrolls', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  const post = readFileSync(new URL('../../docs/embed-example.html', import.meta.url), 'utf8');
  const documented = 'https://example.org/faultline/assets/faultline-embed.js';
  expect(post).toContain(documented);
  pages.set('/post.html', post.replace(documented, `${baseURL}assets/faultline-embed.js`));
  await page.setViewportSize({ width: 1000, height: 700 });
  await page.goto(`${hostOf()}/post.html`);
  const embed = page.locator('#story');
  await expect.poll(() => embed.evaluate((el) => el.isReady)).toBe(true);
  const steps = await page.locator('.beat[data-step]').evaluateAll((ps) => ps.map((p) => p.dataset.step));
  expect(steps.length).toBeGreaterThanOrEqual(4);
  // The paragraphs' words hold at their steps: the split one second in, E's timeout at 1.234 s
  // (the scenario's narration); if the preset changes, the example must too.
  const said = { 134: '1.000 s', 162: '1.234 s' };
  expect(steps).toEqual(expect.arrayContaining(Object.keys(said)));
  // Scrolls as a reader does, until the paragraph's top is 2/3 down the window.
  const readUpTo = (i) => page.locator('.beat[data-step]').nth(i)
    .evaluate((p) => window.scrollBy(0, p.getBoundingClientRect().top - window.innerHeight * 0.66));
  for (const [i, step] of steps.entries()) {
    await readUpTo(i);
    await expect(readout(page, 'story')).toHaveText(new RegExp(`^${step} · ${said[step] ?? ''}`));
    await expect(page.locator('.beat.current')).toHaveAttribute('data-step', step);
  }
  await page.screenshot({ path: `${screenshots}/web-component-post.png` });
  // And back up again.
  await readUpTo(0);
  await expect(readout(page, 'story')).toHaveText(new RegExp(`^${steps[0]} ·`));
  expect(errors).toEqual([]);
});

test('the app\'s service worker, installed from an embed, leaves the component working', async ({ page, baseURL }) => {
  test.setTimeout(60_000);
  const errors = watchErrors(page);
  await openHost(page, baseURL, '/offline.html', `<faultline-embed id="w" scenario="split-brain" step="7"></faultline-embed>${RECORD}`);
  await expect(readout(page, 'w')).toHaveText(/^7 ·/);
  // The embed registers the release's worker (2 s after its first frame) and stores the release.
  const embedFrame = () => page.frames().find((f) => f.url().startsWith(baseURL));
  await expect.poll(() => embedFrame().evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    const names = (await caches.keys()).filter((name) => name.startsWith('faultline-'));
    return !!registration?.active && names.length === 1;
  }), { timeout: 20_000, intervals: [200] }).toBe(true);
  // A second visit: the module still loads from the app's origin, the embed (now under its
  // worker) opens and answers.
  await page.reload();
  await expect(readout(page, 'w')).toHaveText(/^7 ·/);
  expect(await embedFrame().evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  await page.locator('#w').evaluate((el) => el.seek(3));
  await expect(readout(page, 'w')).toHaveText(/^3 ·/);
  expect(errors).toEqual([]);
});

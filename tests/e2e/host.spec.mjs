// The postMessage API: a host page on another origin drives an embedded Faultline and hears
// back what happens; malformed messages and strangers are ignored with a console warning.
import { test, expect } from '@playwright/test';
import { screenshots, watchErrors, hostServer } from './helpers.mjs';

test.use({ viewport: { width: 1280, height: 800 } });

// The host page is served by the test itself on another port: another origin, on this machine
// (Chromium blocks public pages from framing local addresses, so a faked public host cannot).
const host = hostServer();
const hostOf = host.origin;

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

async function openHost(page, baseURL, query, step = 0) {
  const src = `${baseURL}?embed=1${query}`;
  host.body = hostPage(src);
  await page.goto(`${hostOf()}/blog/post.html`);
  const frame = page.frameLocator('#embed');
  await expect(frame.locator('.time-readout')).toHaveText(new RegExp(`^${step} ·`));
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

/** A host page that sends `commands` from the iframe's own `load` event (the earliest a page
 * can reach the embed's window). */
function hostPageSendingAtLoad(src, commands) {
  return `<!doctype html><meta charset="utf-8"><title>Host</title>
<script>
  window.events = [];
  window.addEventListener('message', (e) => {
    if (e.source === document.getElementById('embed').contentWindow) window.events.push(e.data);
  });
  window.send = (data) => document.getElementById('embed').contentWindow.postMessage(data, '*');
  window.sendAtLoad = () => { for (const c of ${JSON.stringify(commands)}) window.send(c); };
</script>
<iframe id="embed" src="${src}" width="960" height="540" style="border:0" onload="sendAtLoad()"></iframe>`;
}

test('commands sent at the iframe’s load event wait for the embed and are carried out in order', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  host.body = hostPageSendingAtLoad(`${baseURL}?embed=1&scenario=split-brain`, [
    { type: 'faultline:load', scenario: 'gc-pause-fencing', fix: true },
    { type: 'faultline:seek', step: 20 },
    { type: 'faultline:step', count: 3 },
  ]);
  await page.goto(`${hostOf()}/blog/post.html`);
  const frame = page.frameLocator('#embed');
  await expect(frame.locator('.time-readout')).toHaveText(/^23 ·/);
  const readies = await events(page, 'faultline:ready');
  expect(readies.map((r) => [r.scenario, r.fix])).toEqual([['split-brain', false], ['gc-pause-fencing', true]]);
  // Ready says how long the run is and where its key moment is.
  expect(readies[1]).toMatchObject({ title: expect.stringContaining('pause'), steps: expect.any(Number) });
  expect(readies[1].steps).toBeGreaterThan(23);
  expect(readies[1].keyMoment.step).toBeGreaterThan(0);
  expect(readies[1].keyMoment.step).toBeLessThanOrEqual(readies[1].steps);
  await expect.poll(async () => (await lastStep(page))?.step).toBe(23);
  expect(errors).toEqual([]);
});

test('a load is a fresh run at its defaults, reset goes back to the address, refusals are answered', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  const frame = await openHost(page, baseURL, '&scenario=seat-12a&step=6', 6);
  await expect.poll(() => events(page, 'faultline:ready')).toHaveLength(1);
  const [opened] = await events(page, 'faultline:ready');

  // Load the scenario on stage with a seed and its fix: a new run.
  await page.evaluate(() => window.send({ type: 'faultline:load', scenario: 'seat-12a', fix: true, seed: 9 }));
  await expect.poll(async () => (await events(page, 'faultline:ready')).length).toBe(2);
  expect((await events(page, 'faultline:ready'))[1]).toMatchObject({ scenario: 'seat-12a', fix: true, seed: 9 });
  await expect(frame.locator('.time-readout')).toHaveText(/^0 ·/);
  // The same again without fix and seed: both back to their defaults, and ready again.
  await page.evaluate(() => window.send({ type: 'faultline:step', count: 5 }));
  await expect(frame.locator('.time-readout')).toHaveText(/^5 ·/);
  await page.evaluate(() => window.send({ type: 'faultline:load', scenario: 'seat-12a' }));
  await expect.poll(async () => (await events(page, 'faultline:ready')).length).toBe(3);
  expect((await events(page, 'faultline:ready'))[2]).toMatchObject({ scenario: 'seat-12a', fix: false, seed: opened.seed });
  await expect(frame.locator('.time-readout')).toHaveText(/^0 ·/);

  // Reset: back to what the address opens (its step too), ready again.
  await page.evaluate(() => {
    window.send({ type: 'faultline:load', scenario: 'split-brain', fix: true });
    window.send({ type: 'faultline:step', count: 4 });
    window.send({ type: 'faultline:reset' });
  });
  await expect.poll(async () => (await events(page, 'faultline:ready')).length).toBe(5);
  expect((await events(page, 'faultline:ready')).at(-1)).toMatchObject({ scenario: 'seat-12a', fix: false, seed: opened.seed });
  await expect(frame.locator('.time-readout')).toHaveText(/^6 ·/);

  // Refused commands are answered, naming the command and echoing its id.
  await page.evaluate(() => window.send({ type: 'faultline:seek', step: -4, id: 'slide-3' }));
  await expect.poll(() => events(page, 'faultline:error')).toHaveLength(1);
  expect((await events(page, 'faultline:error'))[0]).toEqual({
    type: 'faultline:error',
    command: 'faultline:seek',
    id: 'slide-3',
    message: expect.stringContaining('step should be a whole number (0 or more), not -4'),
  });
  await page.evaluate(() => window.send({ type: 'faultline:seek', step: 2000000 }));
  await expect.poll(async () => (await lastStep(page))?.finished).toBe(true);
  await page.evaluate(() => window.send({ type: 'faultline:play', id: 4 }));
  await expect.poll(() => events(page, 'faultline:error')).toHaveLength(2);
  expect((await events(page, 'faultline:error'))[1]).toMatchObject({ command: 'faultline:play', id: 4, message: expect.stringContaining('already ended') });
  // Another script's messages get no reply.
  await page.evaluate(() => window.send({ type: 'webpackOk' }));
  await page.evaluate(() => window.send({ type: 'faultline:step', count: 0 }));
  await expect.poll(() => events(page, 'faultline:error')).toHaveLength(3);
  expect((await events(page, 'faultline:error'))[2].command).toBe('faultline:step');
  expect(errors).toEqual([]);
});

test('split brain played to its end reports each of its findings once, and finished', async ({ page, baseURL }) => {
  const frame = await openHost(page, baseURL, '&scenario=split-brain&panels=narration');
  await expect.poll(() => events(page, 'faultline:ready')).toHaveLength(1);
  await page.evaluate(() => window.send({ type: 'faultline:play', speed: 100000 }));
  await expect.poll(async () => (await lastStep(page))?.finished, { timeout: 20_000 }).toBe(true);
  const findings = await events(page, 'faultline:finding');
  const last = await lastStep(page);
  expect(findings.length).toBe(last.findings);
  expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
  expect(findings.map((f) => f.index)).toEqual(findings.map((_, i) => i));
  // The same findings the embed lists, in the same order.
  const listed = await frame.locator('.findings .finding-link').allInnerTexts();
  expect(listed.length).toBe(findings.length);
  findings.forEach((f, i) => expect(listed[i]).toContain(f.label));
  expect(findings.map((f) => f.kind)).toContain('SplitBrain');
  // Going back and forward again tells nothing twice.
  await page.evaluate(() => window.send({ type: 'faultline:seek', step: 10 }));
  await page.evaluate(() => window.send({ type: 'faultline:seek', step: 2000000 }));
  await expect.poll(async () => (await lastStep(page))?.finished).toBe(true);
  expect(await events(page, 'faultline:finding')).toHaveLength(findings.length);
});

test('every preset played to its end says finished', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await openHost(page, baseURL, '&scenario=split-brain');
  await expect.poll(() => events(page, 'faultline:ready')).toHaveLength(1);
  const [ready] = await events(page, 'faultline:ready');
  for (const [n, id] of ready.scenarios.entries()) {
    await page.evaluate((id) => {
      window.events = [];
      window.send({ type: 'faultline:load', scenario: id });
      window.send({ type: 'faultline:play', speed: 100000 });
    }, id);
    await expect.poll(async () => (await lastStep(page))?.finished, { timeout: 30_000, message: id }).toBe(true);
    const loaded = (await events(page, 'faultline:ready'))[0];
    expect(loaded.scenario, `${n}`).toBe(id);
    if (loaded.steps !== null) expect((await lastStep(page)).step, id).toBe(loaded.steps);
  }
});

test('in an embed the keys of controls it does not show do nothing', async ({ page, baseURL }) => {
  const frame = await openHost(page, baseURL, '&scenario=gc-pause-fencing');
  await expect.poll(() => events(page, 'faultline:ready')).toHaveLength(1);
  await frame.getByRole('button', { name: 'Play' }).focus();
  for (const key of ['x', 'X', 'p', 'f']) await page.keyboard.press(key);
  await page.keyboard.press('.');
  await expect(frame.locator('.time-readout')).toHaveText(/^1 ·/);
  expect(await events(page, 'faultline:ready'), 'the fix was not turned on').toHaveLength(1);
  await expect(frame.locator('.app')).not.toHaveClass(/projector|present/);
  // Its help lists only what works here.
  await page.keyboard.press('?');
  const help = frame.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).not.toContainText('fix on or off');
  await expect(help).not.toContainText('Projector mode');
  await expect(help).toContainText('Play or pause');
});

// A blog post with embeds, as its reader meets it: the wheel and a one-finger swipe over an
// embed scroll the page until the reader engages the diagram (a click or a tap), and only then
// scroll the diagram; Ctrl + wheel zooms it either way; a hint says how. The post is served on
// another origin than the app, as a blog is.
import { test, expect } from '@playwright/test';
import { screenshots, watchErrors, hostServer } from './helpers.mjs';

const host = hostServer();

const paragraph = '<p style="font:18px/1.6 serif;max-width:40em">Distributed systems fail in partial, '
  + 'surprising ways: a network partition, a paused process, a clock that jumps. The diagram below '
  + 'shows one run of a small cluster, event by event.</p>';

/** A post with three embeds of `width`×`height` among paragraphs. */
function post(app, width, height) {
  const embed = (id, scenario) => `${paragraph}<iframe id="${id}" src="${app}?embed=1&scenario=${scenario}"
    width="${width}" height="${height}" style="border:0;display:block;max-width:100%" title="Faultline: ${scenario}"></iframe>`;
  return `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>A post</title><h1>The trouble with distributed systems</h1>
${paragraph}${embed('a', 'split-brain')}${embed('b', 'gc-pause-fencing')}${embed('c', 'lww-clock-skew')}
${paragraph.repeat(6)}`;
}

async function open(page, baseURL, width, height) {
  host.body = post(baseURL, width, height);
  await page.goto(`${host.origin()}/post.html`);
  const frame = page.frameLocator('#a');
  await expect(frame.locator('.time-readout')).toHaveText(/^0 ·/);
  await frame.locator('.timeline-canvas').scrollIntoViewIfNeeded();
  return frame;
}

const pixels = (frame) => frame.locator('.timeline-canvas').evaluate((c) => c.toDataURL());
const scrollY = (page) => page.evaluate(() => window.scrollY);

/** The post's scroll position once it has stopped moving (a fling runs on after a swipe). */
async function settledScroll(page) {
  let last = -1;
  await expect.poll(async () => {
    const now = await page.evaluate(() => new Promise((resolve) => {
      const y = window.scrollY;
      setTimeout(() => resolve(window.scrollY === y ? y : -1), 200);
    }));
    const stable = now >= 0 && now === last;
    last = now;
    return stable;
  }).toBe(true);
  return last;
}

test.describe('on a desktop', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('the wheel scrolls the post until the diagram is clicked, then the diagram', async ({ page, baseURL }) => {
    const errors = watchErrors(page);
    const frame = await open(page, baseURL, 960, 540);
    // Give the diagram something to scroll through.
    await page.evaluate(() => document.getElementById('a').contentWindow.postMessage({ type: 'faultline:seek', step: 300 }, '*'));
    await expect(frame.locator('.time-readout')).toHaveText(/^300 ·/);
    const canvas = await frame.locator('.timeline-canvas').boundingBox();
    const over = [canvas.x + canvas.width / 2, canvas.y + canvas.height / 2];
    const drawn = await pixels(frame);
    const top = await scrollY(page);
    await page.mouse.move(...over);
    for (let notch = 0; notch < 5; notch++) await page.mouse.wheel(0, 100);
    await expect.poll(() => scrollY(page)).toBeGreaterThan(top + 200);
    expect(await pixels(frame), 'the diagram did not move').toBe(drawn);
    await expect(frame.locator('.scroll-hint')).toHaveText('Click the diagram to scroll it · Ctrl + wheel zooms');
    await page.screenshot({ path: `${screenshots}/embed-post-wheel-hint.png` });
    await expect(frame.locator('.scroll-hint')).toHaveCount(0, { timeout: 6000 });

    // Ctrl + wheel zooms without engaging, and the post stays put.
    await frame.locator('.timeline-canvas').scrollIntoViewIfNeeded();
    const box = await frame.locator('.timeline-canvas').boundingBox();
    const middle = [box.x + box.width / 2, box.y + box.height / 2];
    const still = await scrollY(page);
    const unzoomed = await pixels(frame);
    await page.mouse.move(...middle);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -200);
    await page.keyboard.up('Control');
    await expect.poll(() => pixels(frame)).not.toBe(unzoomed);
    expect(await scrollY(page)).toBe(still);

    // Engaged by a click: the wheel now scrolls the diagram, and the post stays put.
    await page.mouse.click(box.x + 8, box.y + box.height - 8);
    await expect(frame.locator('.app')).toHaveClass(/engaged/);
    const engaged = await pixels(frame);
    for (let notch = 0; notch < 3; notch++) await page.mouse.wheel(0, -100);
    await expect.poll(() => pixels(frame)).not.toBe(engaged);
    expect(await scrollY(page)).toBe(still);
    // Clicking the post lets go of it: the wheel scrolls the post again.
    await page.locator('h1').click();
    await expect(frame.locator('.app')).not.toHaveClass(/engaged/);
    await frame.locator('.timeline-canvas').scrollIntoViewIfNeeded();
    const again = await frame.locator('.timeline-canvas').boundingBox();
    const before = await scrollY(page);
    await page.mouse.move(again.x + again.width / 2, again.y + again.height / 2);
    for (let notch = 0; notch < 3; notch++) await page.mouse.wheel(0, 100);
    await expect.poll(() => scrollY(page)).toBeGreaterThan(before + 100);
    expect(errors).toEqual([]);
  });
});

test.describe('on a 390×844 phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  /** One finger from (x, y) up by `dy` pixels, as a reader swipes to read on. */
  async function swipe(page, [x, y], dy) {
    const cdp = await page.context().newCDPSession(page);
    const at = (k) => [{ x, y: y - (dy * k) / 10, id: 0 }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
    for (let k = 1; k <= 10; k++) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(k) });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
  }

  test('a one-finger swipe on an embed scrolls the post until the diagram is tapped', async ({ page, baseURL }) => {
    const errors = watchErrors(page);
    const frame = await open(page, baseURL, 360, 560);
    const box = await frame.locator('.timeline-canvas').boundingBox();
    expect(box.height, 'the timeline is most of the embed').toBeGreaterThan(200);
    const start = [box.x + box.width / 2, box.y + box.height * 0.7];
    const before = await scrollY(page);
    await swipe(page, start, 250);
    await expect.poll(() => scrollY(page)).toBeGreaterThan(before + 100);
    await expect(frame.locator('.scroll-hint')).toHaveText('Tap the diagram to use it · two fingers zoom');
    await page.screenshot({ path: `${screenshots}/embed-post-swipe-hint.png` });

    // Tapped, the diagram takes the finger: the post stays put.
    await frame.locator('.timeline-canvas').scrollIntoViewIfNeeded();
    const tapped = await frame.locator('.timeline-canvas').boundingBox();
    await page.touchscreen.tap(tapped.x + 10, tapped.y + tapped.height - 10);
    await expect(frame.locator('.app')).toHaveClass(/engaged/);
    const still = await settledScroll(page);
    await swipe(page, [tapped.x + tapped.width / 2, tapped.y + tapped.height * 0.7], 150);
    await page.evaluate(() => new Promise(requestAnimationFrame));
    expect(await scrollY(page)).toBe(still);
    expect(errors).toEqual([]);
  });
});

test.describe('before and around the diagram', () => {
  test.use({ viewport: { width: 960, height: 540 } });

  test('before the wasm arrives, an embed shows its scenario’s title in its own theme', async ({ page, baseURL }) => {
    // The simulator never arrives: what the reader sees meanwhile.
    await page.route('**/*.wasm', () => {});
    await page.goto(`${baseURL}?embed=1&scenario=gc-pause-fencing&theme=dark`);
    const boot = page.locator('.boot');
    await expect(boot).toBeVisible();
    await expect(boot.locator('.boot-title')).toHaveText('A process pause outlives its lease: fencing tokens');
    await expect(boot.locator('.boot-note')).toHaveText('Loading the simulator…');
    expect(await boot.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(14, 20, 27)');
    await page.screenshot({ path: `${screenshots}/embed-loading-dark.png` });
  });

  test('the first screen goes once the app is in the page', async ({ page, baseURL }) => {
    await page.goto(`${baseURL}?embed=1&scenario=split-brain`);
    await expect(page.locator('.time-readout')).toHaveText(/^0 ·/);
    await expect(page.locator('.boot')).toBeHidden();
  });

  test('“Open in Faultline” opens the run as it stands in the full app', async ({ page, baseURL }) => {
    await page.goto(`${baseURL}?embed=1&scenario=split-brain&step=40`);
    await expect(page.locator('.time-readout')).toHaveText(/^40 ·/);
    await page.getByRole('button', { name: 'Step' }).click();
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('link', { name: 'Open in Faultline (a new tab)' }).click(),
    ]);
    await expect(popup.locator('.time-readout')).toHaveText(/^41 ·/);
    expect(popup.url()).not.toContain('embed=1');
    await expect(popup.locator('.app')).not.toHaveClass(/embed/);
    await popup.close();
  });
});

test.describe('a 352×220 embed on a phone', () => {
  test.use({ viewport: { width: 352, height: 220 }, hasTouch: true, isMobile: true });

  test('shows the diagram first, with its playback below', async ({ page, baseURL }) => {
    await page.goto(`${baseURL}?embed=1&scenario=split-brain`);
    const canvas = page.locator('.timeline-canvas');
    await expect(canvas).toBeVisible();
    const diagram = await canvas.boundingBox();
    const play = await page.getByRole('button', { name: 'Play' }).boundingBox();
    expect(diagram.y).toBeLessThan(play.y);
    expect(diagram.height).toBeGreaterThan(110);
    expect(play.y + play.height).toBeLessThanOrEqual(220);
    expect(play.height).toBeGreaterThanOrEqual(44);
    await page.getByRole('button', { name: 'Play' }).tap();
    await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
    await page.screenshot({ path: `${screenshots}/embed-352x220.png` });
  });
});

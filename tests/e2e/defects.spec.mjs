// Defects found using the release build as a new user would (issue 12), each reproduced here:
// ended runs reshared at another moment, silent embed mistakes, a sandbox describing a cluster
// it no longer had, and controls that did nothing without saying why.
import { test, expect } from '@playwright/test';
import { runToEnd, screenshots, timelinePixels, watchErrors } from './helpers.mjs';

test.use({ viewport: { width: 1280, height: 720 } });

const readout = (page) => page.locator('.time-readout');
const scrubber = (page) => page.getByRole('slider', { name: 'Seek to a step' });

/** Shares the run on stage; returns the link and what the page shows (readout, pixels, scrubber). */
async function share(page) {
  await page.waitForTimeout(150);
  const shown = {
    readout: await readout(page).textContent(),
    pixels: await timelinePixels(page),
    furthest: await scrubber(page).getAttribute('max'),
  };
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByRole('textbox', { name: 'Link to this run' }).inputValue();
  await page.keyboard.press('Escape');
  return { link, shown };
}

/** Opens `link` in a fresh browser context and checks it shows exactly `shown`. */
async function reopens(browser, link, shown, name) {
  const fresh = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const other = await fresh.newPage();
  const errors = watchErrors(other);
  await other.goto(link);
  await expect(readout(other)).toHaveText(shown.readout);
  await expect(scrubber(other)).toHaveAttribute('max', shown.furthest);
  await other.waitForTimeout(150);
  expect((await timelinePixels(other)) === shown.pixels, `${name}: the same picture, pixel for pixel`).toBe(true);
  await other.screenshot({ path: `${screenshots}/reopened-${name}.png` });
  expect(errors).toEqual([]);
  return { other, fresh };
}

test('a run shared after it ended reopens ended, and after Back reopens there', async ({ page, browser }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await runToEnd(page, 'gc-pause-fencing');
  await expect(readout(page)).toHaveText(/ · 18\.000 s$/);
  const ended = await share(page);
  const { other, fresh } = await reopens(browser, ended.link, ended.shown, 'ended');
  await expect(readout(other)).toHaveText(/ · 18\.000 s$/);
  await expect(other.getByRole('button', { name: 'Play' })).toBeDisabled();
  await expect(other.getByRole('button', { name: 'Step', exact: true })).toBeDisabled();
  await fresh.close();

  // Three steps back from the end: the scrubber still reaches the old end.
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Back' }).click();
  const back = await share(page);
  expect(Number(back.shown.furthest)).toBeGreaterThan(Number(back.shown.readout.split(' ')[0]));
  const again = await reopens(browser, back.link, back.shown, 'after-back');
  await expect(again.other.getByRole('button', { name: 'Play' })).toBeEnabled();
  await again.fresh.close();
  expect(errors).toEqual([]);
});

/** Waits until the page has fetched what it loads (images, the icon): no request on its way. */
async function imagesLoaded(page) {
  await page.waitForFunction(() => [...document.images].every((image) => image.complete));
  await page.waitForLoadState('networkidle');
}

test('a misconfigured embed says what is wrong and what it shows instead', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 640, height: 400 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const warnings = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await page.goto('./?embed=1&scenario=splitbrain&step=x');
  const notice = page.locator('.embed-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('there is no scenario “splitbrain” (did you mean “split-brain”?)');
  await expect(notice).toContainText('step=“x” is not understood');
  await expect(notice).toContainText('Showing “Two leaders: split brain under a partition” instead');
  await expect(notice).toContainText('Known scenarios: split-brain, timeouts');
  await expect.poll(() => warnings.join('\n')).toContain('there is no scenario “splitbrain”');
  await page.screenshot({ path: `${screenshots}/embed-mistake.png` });
  // Dismissed, the embed is as usual and still works.
  await page.getByRole('button', { name: 'Dismiss this notice' }).click();
  await expect(notice).toHaveCount(0);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(readout(page)).toHaveText(/^1 ·/);

  // Text from the address stays text. (Each address is opened once the page before it has
  // loaded its images: opening another aborts a request still on its way, which is no fault.)
  await imagesLoaded(page);
  await page.goto(`./?embed=1&scenario=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
  await expect(notice).toContainText('there is no scenario “<img src=x onerror=alert(1)>”');
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  // Unknown options and bad values of the others are named too.
  await imagesLoaded(page);
  await page.goto('./?embed=1&scenaro=seat-12a&theme=blue&panels=story&origin=javascript:alert(1)');
  for (const words of ['there is no option “scenaro”', 'theme=“blue”', 'panels=“story”', 'origin=“javascript:alert(1)”']) {
    await expect(notice).toContainText(words);
  }
  // A correct embed shows no notice.
  await imagesLoaded(page);
  await page.goto('./?embed=1&scenario=seat-12a');
  await expect(readout(page)).toHaveText(/^0 ·/);
  await expect(notice).toHaveCount(0);
  expect(errors).toEqual([]);
  await context.close();
});

test('the sandbox on sixteen nodes says sixteen', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  const picker = page.getByRole('combobox', { name: 'Scenario' });
  await picker.selectOption('sandbox');
  await page.getByRole('button', { name: 'Cluster…' }).click();
  const editor = page.getByRole('dialog', { name: 'Customise the cluster' });
  await editor.getByRole('textbox', { name: 'Nodes' }).fill('16');
  await editor.getByRole('button', { name: 'Run on this cluster' }).click();
  await expect(page.locator('.node-twin')).toHaveCount(16);
  await expect(picker.locator('option:checked')).toHaveText('Sandbox: a sixteen-node cluster to break yourself');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  const narration = page.getByRole('region', { name: 'Narration' });
  await expect(narration).toContainText('Sixteen nodes elect a leader');
  await expect(narration).not.toContainText('Five nodes');
  await expect(narration.locator('.narration-scenario')).toHaveText('Sandbox: a sixteen-node cluster to break yourself');
  // Another story on another cluster says what differs.
  await picker.selectOption('seat-12a');
  // The customised cluster is work the new scenario would lose: the app asks first.
  await page.getByRole('button', { name: 'Discard and go on' }).click();
  await page.getByRole('button', { name: 'Cluster…' }).click();
  await editor.getByRole('textbox', { name: 'Nodes' }).fill('5');
  await editor.getByRole('button', { name: 'Run on this cluster' }).click();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(narration).toContainText('This run is on a customised cluster: 5 nodes instead of 3');
  await expect(picker.locator('option:checked')).toHaveText('Seat 12A, sold twice (customised cluster)');
  await page.screenshot({ path: `${screenshots}/customised-story.png` });
  expect(errors).toEqual([]);
});

test('controls that cannot act are disabled and say why', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  const back = page.getByRole('button', { name: 'Back' });
  const restart = page.getByRole('button', { name: 'Restart' });
  await expect(back).toBeDisabled();
  await expect(back).toHaveAttribute('title', /At the start of the run/);
  await expect(restart).toBeDisabled();
  await expect(restart).toHaveAttribute('title', /already|at its start/);
  // Keys that cannot act say so.
  await page.locator('body').press(',');
  await expect(page.locator('.playback-hint')).toHaveText(/At the start of the run/);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(back).toBeEnabled();
  await expect(restart).toBeEnabled();
  await expect(page.locator('.playback-hint')).toHaveText('');

  await runToEnd(page, 'reordered-writes');
  await expect(scrubber(page)).toHaveAttribute('aria-valuetext', /the run has ended/);
  await expect(scrubber(page)).toHaveAttribute('title', /The run has ended/);
  await page.locator('body').press('.');
  await expect(page.locator('.playback-hint')).toHaveText(/The run has ended/);
  await page.screenshot({ path: `${screenshots}/controls-at-the-end.png` });
  expect(errors).toEqual([]);
});

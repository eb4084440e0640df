// "Compare with the fix", with real clicks: the run without and with the fix side by side on
// one camera, the first difference said in words (storage refusing token 33 in
// gc-pause-fencing; A acknowledging write 100 without a majority in split-brain), a wheel on
// either side moving both, the SVG export holding both runs, a share link reopening the
// comparison; a run with a fault by hand against the scenario's unbroken run; a phone stacking
// the two.
import { test, expect } from '@playwright/test';
import { screenshots, watchErrors, exportSvg } from './helpers.mjs';

/** Both timelines' pixels. */
function pixels(page) {
  return Promise.all(
    ['.timeline-canvas', '.compare-canvas'].map((c) => page.locator(c).evaluate((canvas) => canvas.toDataURL())),
  );
}

test.describe('at 1366×768', () => {
  test.use({ viewport: { width: 1366, height: 768 } });

  test('gc-pause-fencing compared with the fix: token 33 refused, one camera, SVG and link', async ({ page, browser }) => {
    const errors = watchErrors(page);
    await page.goto('./');
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('gc-pause-fencing');
    const compare = page.getByRole('button', { name: 'Compare with the fix' });
    await compare.click();
    await expect(compare).toHaveAttribute('aria-pressed', 'true');
    const words = page.locator('.compare-words');
    await expect(words).toHaveText(
      'First difference at 17.006 s: without the fix, Storage (B): write accepted: 1 from Client C, token 33; ' +
        'with the fix, Storage (B): write with token 33 refused: storage has seen 34.',
    );
    await expect(page.locator('.compare-canvas')).toBeVisible();
    await expect(page.locator('.compare-caption')).toHaveText(['Without the fix', 'With the fix']);
    // Side by side: the same height and top, the run with the fix on the right.
    const [left, right] = await Promise.all(['.timeline-canvas', '.compare-canvas'].map((c) => page.locator(c).boundingBox()));
    expect(Math.abs(left.y - right.y)).toBeLessThan(1);
    expect(Math.abs(left.height - right.height)).toBeLessThan(1);
    expect(right.x).toBeGreaterThan(left.x + left.width - 1);
    await page.screenshot({ path: `${screenshots}/compare-fencing.png` });

    // Zooming over the left-hand run (around the first difference) zooms both.
    const before = await pixels(page);
    await page.mouse.move(left.x + left.width / 2, left.y + left.height / 3);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -200);
    await page.keyboard.up('Control');
    await expect.poll(async () => {
      const after = await pixels(page);
      return after.map((p, i) => p !== before[i]);
    }).toEqual([true, true]);
    // A wheel over the right-hand run scrolls both.
    const zoomed = await pixels(page);
    await page.mouse.move(right.x + right.width / 2, right.y + right.height / 2);
    await page.mouse.wheel(0, -120);
    await expect.poll(async () => {
      const after = await pixels(page);
      return after.map((p, i) => p !== zoomed[i]);
    }).toEqual([true, true]);
    await page.screenshot({ path: `${screenshots}/compare-fencing-moved.png` });

    // The SVG holds both runs, each under its label, and the first difference.
    const svg = await exportSvg(page);
    expect(svg).toContain('data-run="0"');
    expect(svg).toContain('data-run="1"');
    expect(svg).toContain('Without the fix');
    expect(svg).toContain('With the fix');
    expect(svg).toContain('First difference at 17.006 s');

    // The link reopens the comparison.
    await page.getByRole('button', { name: 'Share' }).click();
    const link = await page.getByRole('textbox', { name: 'Link to this run' }).inputValue();
    const fresh = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const other = await fresh.newPage();
    const otherErrors = watchErrors(other);
    await other.goto(link);
    await expect(other.locator('.compare-words')).toHaveText(await words.textContent());
    await expect(other.getByRole('button', { name: 'Compare with the fix' })).toHaveAttribute('aria-pressed', 'true');
    await expect(other.locator('.compare-canvas')).toBeVisible();
    expect(otherErrors).toEqual([]);
    await fresh.close();

    // Stop comparing: the run alone again.
    await page.getByRole('dialog', { name: 'Share this run' }).getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Stop comparing' }).click();
    await expect(page.locator('.compare-canvas')).toBeHidden();
    await expect(words).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test('split-brain compared with the fix: A acknowledges write 100 at once without it', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('./');
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('split-brain');
    await page.getByRole('button', { name: 'Compare with the fix' }).click();
    // The first difference in true time is 0.425 s, not A's step down at 1.2 s (which the
    // fixed run's tint covers): without the fix A acknowledges write 100 the moment it
    // arrives; with it A waits for a majority's copies.
    await expect(page.locator('.compare-words')).toHaveText(
      'First difference at 0.425 s: without the fix, A: write 100 accepted, term 1; ' +
        'with the fix, A does nothing of the kind at that moment.',
    );
    await page.screenshot({ path: `${screenshots}/compare-split-brain.png` });
    expect(errors).toEqual([]);
  });

  test('a run at another seed is compared with the seed its story was written for', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('./?scenario=split-brain');
    await expect(page.getByRole('button', { name: /^Compare with seed/ })).toHaveCount(0);
    await page.getByRole('textbox', { name: 'Seed' }).fill('7');
    await page.getByRole('button', { name: 'Compare with seed 1' }).click();
    await expect(page.getByRole('button', { name: 'Compare with seed 1' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('.compare-words')).toContainText(/^First difference at \d+\.\d{3} s/);
    await expect(page.locator('.compare-caption')).toHaveCount(2);
    await page.screenshot({ path: `${screenshots}/compare-seed.png` });
    expect(errors).toEqual([]);
  });

  test('a run with a fault by hand is compared with the unbroken run', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('./');
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('sandbox');
    for (let i = 0; i < 30; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
    // There all along, and usable once the run has faults of its own.
    await expect(page.getByRole('button', { name: 'Compare with the unbroken run' })).toBeDisabled();
    await page.getByRole('button', { name: 'Link A–C (up)' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Link A–C (cut)' })).toHaveCount(1);
    await page.getByRole('button', { name: 'Compare with the unbroken run' }).click();
    const words = page.locator('.compare-words');
    await expect(words).toContainText("in the scenario's own run");
    await expect(words).toContainText('with your faults');
    await expect(words).toContainText('links A↔C cut');
    await expect(page.locator('.compare-caption')).toHaveText(["In the scenario's own run", 'With your faults']);
    await page.screenshot({ path: `${screenshots}/compare-unbroken.png` });
    expect(errors).toEqual([]);
  });
});

test('on a 390×844 phone the two runs stack on one camera', async ({ browser }) => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    hasTouch: true,
    isMobile: true,
  });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('gc-pause-fencing');
  await page.getByRole('button', { name: 'More' }).tap();
  await page.getByRole('button', { name: 'Compare with the fix' }).tap();
  await page.getByRole('button', { name: 'More' }).tap();
  await page.locator('.view-tab', { hasText: 'Timeline' }).tap();
  await expect(page.locator('.compare-words')).toContainText('First difference at 17.006 s');
  await expect(page.locator('.compare-words')).toContainText('write with token 33 refused');
  const [top, bottom] = await Promise.all(['.timeline-canvas', '.compare-canvas'].map((c) => page.locator(c).boundingBox()));
  expect(Math.abs(top.x - bottom.x)).toBeLessThan(1);
  expect(Math.abs(top.width - bottom.width)).toBeLessThan(1);
  expect(bottom.y).toBeGreaterThanOrEqual(top.y + top.height - 1);
  await page.screenshot({ path: `${screenshots}/compare-phone.png` });
  expect(top.height).toBeGreaterThan(150);
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll, 'no horizontal scrolling').toBeLessThanOrEqual(client);
  await page.screenshot({ path: `${screenshots}/compare-phone.png` });
  expect(errors).toEqual([]);
  await context.close();
});

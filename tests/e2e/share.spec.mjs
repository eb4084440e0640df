// Share links with real browsers: a copied link reproduces the run in a fresh context, and a
// broken link is explained while the app keeps working.
import { test, expect } from '@playwright/test';
import { screenshots, watchErrors, timelinePixels } from './helpers.mjs';

test.use({ viewport: { width: 1280, height: 720 } });

test('a shared link opens the identical run in a fresh browser context', async ({ page, browser }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('sandbox');
  for (let i = 0; i < 60; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  // Cut a link through its keyboard twin, run on, then go back a little.
  await page.getByRole('button', { name: 'Link A–C (up)' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Link A–C (cut)' })).toHaveCount(1);
  for (let i = 0; i < 40; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  for (let i = 0; i < 10; i++) await page.getByRole('button', { name: 'Back' }).click();
  await page.waitForTimeout(150);
  const readout = await page.locator('.time-readout').textContent();
  const pixels = await timelinePixels(page);

  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByRole('textbox', { name: 'Link to this run' }).inputValue();
  expect(link).toMatch(/\/faultline\/#v1\.[A-Za-z0-9_-]+$/);
  expect(page.url()).toBe(link);
  await page.getByRole('button', { name: 'Put it in a blog post or slides…' }).click();
  const embed = await page.getByRole('textbox', { name: 'Embed code' }).inputValue();
  // The embed builder's default: wide, titled by the scenario, the run at its step as the link
  // has it; the iframe's id is drawn at random for each dialog.
  const id = embed.match(/^<iframe id="(faultline-[0-9a-f]{8})" /)?.[1];
  expect(id).toBeTruthy();
  expect(embed).toBe(`<iframe id="${id}" src="${link.replace('#', '?embed=1#')}" width="960" height="540" style="border:0;max-width:100%" title="Faultline: Sandbox: a five-node cluster to break yourself" loading="lazy" allow="clipboard-write"></iframe>`);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy embed code' }).click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(embed);
  await page.screenshot({ path: `${screenshots}/share-dialog.png` });

  const fresh = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const other = await fresh.newPage();
  const otherErrors = watchErrors(other);
  await other.goto(link);
  await expect(other.getByRole('combobox', { name: 'Scenario' })).toHaveValue('sandbox');
  await expect(other.locator('.time-readout')).toHaveText(readout);
  await expect(other.getByRole('button', { name: 'Link A–C (cut)' })).toHaveCount(1);
  await other.waitForTimeout(150);
  // Compared as a boolean: a failure should not print two data URLs.
  expect((await timelinePixels(other)) === pixels, 'the same picture, pixel for pixel').toBe(true);
  await other.screenshot({ path: `${screenshots}/share-opened.png` });
  expect(otherErrors).toEqual([]);
  await fresh.close();
  expect(errors).toEqual([]);
});

test('a broken or hostile link is explained and the app keeps working', async ({ page }) => {
  const errors = watchErrors(page);
  for (const [fragment, words] of [
    ['v1.not-a-run', 'damaged'],
    ['v7.AAAA', 'format v7'],
    ['<script>alert(1)</script>', 'not a Faultline run'],
  ]) {
    await page.goto(`./#${fragment}`);
    const notice = page.locator('.notice');
    await expect(notice).toContainText('This link could not be opened');
    await expect(notice).toContainText(words);
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(page.locator('.time-readout')).not.toHaveText(/^0 ·/);
  }
  expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBeLessThan(3);
  await page.screenshot({ path: `${screenshots}/share-broken-link.png` });
  expect(errors).toEqual([]);
});

test('the trace downloads as a ShiViz log', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('reordered-writes');
  await page.locator('.speed input').fill('11');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled({ timeout: 20_000 });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.export-menu > summary').click().then(() => page.getByRole('button', { name: 'ShiViz' }).click()),
  ]);
  expect(download.suggestedFilename()).toBe('faultline-reordered-writes.shiviz.log');
  const text = Buffer.concat(await (await download.createReadStream()).toArray()).toString();
  const lines = text.trim().split('\n');
  expect(lines.length % 2).toBe(0);
  expect(lines[1]).toMatch(/^A \{"A":1\}$/);

  // The same trace as JSON, with the run it came from.
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.export-menu > summary').click().then(() => page.getByRole('button', { name: 'JSON' }).click()),
  ]);
  expect(json.suggestedFilename()).toBe('faultline-reordered-writes.trace.json');
  const trace = JSON.parse(Buffer.concat(await (await json.createReadStream()).toArray()).toString());
  expect(trace).toMatchObject({ format: 'faultline-trace', version: 1, run: { scenario: 'reordered-writes' } });
  expect(trace.events.filter((e) => e.process).length).toBe(lines.length / 2);
  expect(trace.events[0].vector_clock).toHaveLength(trace.nodes.length);
  expect(errors).toEqual([]);
});

test('a run saved as a file opens again exactly; a hostile file is refused with a reason', async ({ page, browser }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('seat-12a');
  for (let i = 0; i < 25; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.getByRole('button', { name: 'Europe (B) (running)' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('dialog', { name: 'Europe (B)' }).getByRole('button', { name: 'Crash', exact: true }).click();
  for (let i = 0; i < 10; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.waitForTimeout(150);
  const readout = await page.locator('.time-readout').textContent();
  const pixels = await timelinePixels(page);
  await page.getByRole('button', { name: 'Share' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save as a file' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('faultline-seat-12a.run.json');
  const json = Buffer.concat(await (await download.createReadStream()).toArray()).toString();
  expect(JSON.parse(json)).toMatchObject({ format: 'faultline-run', version: 1, run: { scenario: 'seat-12a' } });

  const fresh = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const other = await fresh.newPage();
  const otherErrors = watchErrors(other);
  await other.goto('./');
  await other.getByRole('button', { name: 'Share' }).click();
  await other.getByLabel('Open a saved run').setInputFiles({ name: 'run.json', mimeType: 'application/json', buffer: Buffer.from(json) });
  await expect(other.getByRole('combobox', { name: 'Scenario' })).toHaveValue('seat-12a');
  await expect(other.locator('.time-readout')).toHaveText(readout);
  await expect(other.getByRole('button', { name: 'Europe (B) (crashed)' })).toHaveCount(1);
  await other.waitForTimeout(150);
  expect((await timelinePixels(other)) === pixels, 'the same picture').toBe(true);

  await other.getByRole('button', { name: 'Share' }).click();
  const hostile = JSON.stringify({ format: 'faultline-run', version: 1, run: { scenario: '<img src=x onerror=alert(1)>', fix: false, seed: 1, faults: [], step: 0 } });
  await other.getByLabel('Open a saved run').setInputFiles({ name: 'evil.json', mimeType: 'application/json', buffer: Buffer.from(hostile) });
  await expect(other.locator('.notice')).toContainText('does not have (“<img src=x onerror=alert(1)>”)');
  expect(await other.locator('img[src="x"]').count()).toBe(0);
  await other.getByRole('button', { name: 'Share' }).click();
  await other.getByLabel('Open a saved run').setInputFiles({ name: 'nan.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"faultline-run","version":1,"run":{"seed":NaN}}') });
  await expect(other.locator('.notice')).toContainText('This file could not be opened: the file is cut short or damaged, or it is not Faultline data (look at line 1, character 53, in run.seed).');
  await other.getByRole('button', { name: 'Step', exact: true }).click();
  await other.screenshot({ path: `${screenshots}/share-file-refused.png` });
  expect(otherErrors).toEqual([]);
  await fresh.close();
  expect(errors).toEqual([]);
});

for (const [width, height] of [[640, 400], [1280, 720]]) {
  test(`embed mode fits a ${width}×${height} iframe without scrollbars`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto('./?embed=1&scenario=gc-pause-fencing&step=12&theme=dark');
    await expect(page.locator('.app')).toHaveClass(/embed/);
    await expect(page.locator('.time-readout')).toHaveText(/^12 ·/);
    await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Scenario' })).toBeHidden();
    await expect(page.getByRole('region', { name: 'Narration' })).toBeHidden();
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-theme'))).toBe('dark');
    const overflow = await page.evaluate(() => ({
      x: document.documentElement.scrollWidth - window.innerWidth,
      y: document.documentElement.scrollHeight - window.innerHeight,
    }));
    expect(overflow).toEqual({ x: 0, y: 0 });
    for (const region of ['Topology', 'Timeline']) {
      const box = await page.getByRole('region', { name: region }).boundingBox();
      expect(box.height, region).toBeGreaterThan(height * 0.6);
    }
    await page.screenshot({ path: `${screenshots}/embed-${width}x${height}.png` });
    expect(errors).toEqual([]);
    await context.close();
  });
}

for (const [where, url] of [
  ['query', './?embed=1&scenario=reordered-writes&autoplay=1&panels=narration'],
  ['fragment', './#embed=1&scenario=reordered-writes&autoplay=1&panels=narration'],
]) {
  test(`an embed can autoplay and keep the narration (options in the ${where})`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(url);
    await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Narration' })).toBeVisible();
    await expect(page.getByRole('complementary', { name: 'Inspector' })).toBeHidden();
    await expect(page.locator('.scenario-picker')).toBeHidden();
    await expect(page.locator('.narration')).toContainText('arrive out of order');
    expect(page.url()).toContain(url.slice(2));
    expect(errors).toEqual([]);
  });
}

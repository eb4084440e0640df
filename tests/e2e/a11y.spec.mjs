// Accessibility audits with axe-core (WCAG 2 A and AA rules and axe's best practices): the full
// app at desktop and phone size, with a run under way and its dialogs open, and the embed.
// Any violation fails the test and is listed with the elements it concerns.
import { createRequire } from 'node:module';
import { test, expect } from '@playwright/test';
import { screenshots, watchErrors } from './helpers.mjs';

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Runs axe on the page as it stands; returns its violations in a readable form. */
async function violations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ path: axeSource });
  }
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  return found;
}

for (const [name, width, height] of [['desktop', 1280, 720], ['phone', 390, 844]]) {
  test(`the app has no axe violations at ${name} size`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto('./');
    await expect(page.getByRole('heading', { name: 'Faultline', level: 1 })).toBeAttached();
    expect(await violations(page), 'on opening').toEqual([]);

    // A run under way, a node's menu, the share dialog and the help overlay.
    for (let i = 0; i < 30; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
    expect(await violations(page), 'after stepping').toEqual([]);
    // A phone shows one view at a time, and folds the settings behind More.
    const views = page.getByRole('navigation', { name: 'Views' });
    if (await views.isVisible()) await views.getByRole('button', { name: 'Topology' }).click();
    await page.getByRole('button', { name: /^Node C / }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: 'Node C' })).toBeVisible();
    expect(await violations(page), 'with a node menu open').toEqual([]);
    await page.keyboard.press('Escape');
    const more = page.getByRole('button', { name: 'More' });
    if (await more.isVisible()) await more.click();
    await page.getByRole('button', { name: 'Share' }).click();
    await expect(page.getByRole('textbox', { name: 'Link to this run' })).toBeVisible();
    expect(await violations(page), 'with the share dialog open').toEqual([]);
    await page.keyboard.press('Escape');
    await page.keyboard.press('?');
    expect(await violations(page), 'with the help open').toEqual([]);
    await page.screenshot({ path: `${screenshots}/a11y-${name}.png` });
    // The hunt panel, its fault kinds unfolded, once a hunt has found a failure.
    await page.keyboard.press('Escape');
    if (await more.isVisible() && (await more.getAttribute('aria-expanded')) !== 'true') await more.click();
    await page.getByRole('button', { name: 'Hunt for failures' }).click();
    const hunt = page.getByRole('region', { name: 'Hunt for failures' });
    await hunt.locator('summary').click();
    await hunt.getByRole('button', { name: 'Find a failure' }).click();
    await expect(hunt.locator('.hunt-summary')).toContainText('split brain after', { timeout: 30_000 });
    expect(await violations(page), 'with the hunt panel open').toEqual([]);
    await page.screenshot({ path: `${screenshots}/a11y-${name}-hunt.png` });
    expect(errors).toEqual([]);
    await context.close();
  });
}

test('the embed has no axe violations, a level-one heading, and a readable notice', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 640, height: 400 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('./?embed=1&scenario=gc-pause-fencing&step=12');
  await expect(page.locator('.time-readout')).toHaveText(/^12 ·/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  expect(await violations(page), 'a plain embed').toEqual([]);
  // A misconfigured embed shows its notice over the canvases: audited too.
  await page.goto('./?embed=1&scenario=splitbrain');
  await expect(page.locator('.embed-notice')).toBeVisible();
  expect(await violations(page), 'an embed with a notice').toEqual([]);
  await page.screenshot({ path: `${screenshots}/embed-notice.png` });
  expect(errors).toEqual([]);
  await context.close();
});

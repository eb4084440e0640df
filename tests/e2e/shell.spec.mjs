// The app shell loads from a sub-path with no console errors and shows every region.
import { test, expect } from '@playwright/test';
import { screenshots, watchErrors } from './helpers.mjs';

const viewports = [
  { name: 'iframe-640x400', width: 640, height: 400 },
  { name: 'laptop-1280x720', width: 1280, height: 720 },
  { name: 'projector-1920x1080', width: 1920, height: 1080 },
];

for (const viewport of viewports) {
  test(`shell renders at ${viewport.name} without errors or page scrollbars`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await page.goto('./');

    await expect(page).toHaveTitle(/Faultline/);
    await expect(page.getByRole('heading', { name: 'Faultline', level: 1 })).toBeVisible();
    for (const region of ['Topology', 'Timeline', 'Narration', 'Inspector']) {
      await expect(page.getByRole('heading', { name: region })).toBeVisible();
    }
    await expect(page.getByRole('combobox', { name: 'Scenario' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Seed' })).toHaveValue('1');

    // Every region lies inside the viewport and the page itself never scrolls.
    const overflow = await page.evaluate(() => ({
      x: document.documentElement.scrollWidth - window.innerWidth,
      y: document.documentElement.scrollHeight - window.innerHeight,
    }));
    expect(overflow).toEqual({ x: 0, y: 0 });
    for (const region of ['Topology', 'Timeline', 'Narration', 'Inspector']) {
      const box = await page.getByRole('region', { name: region }).or(
        page.getByRole('complementary', { name: region })).boundingBox();
      expect(box, region).not.toBeNull();
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width + 0.5);
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height + 0.5);
      expect(box.height, `${region} height`).toBeGreaterThan(40);
    }

    await page.screenshot({ path: `${screenshots}/shell-${viewport.name}.png` });
    expect(errors).toEqual([]);
  });
}

test('favicon and assets resolve relative to the sub-path', async ({ page, request }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  // The icon is inline (browsers fetch icons outside the service worker, so a file would fail
  // offline): an SVG data address that draws the same mark as assets/favicon.svg.
  const icon = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(icon.startsWith('data:image/svg+xml,')).toBe(true);
  const inline = decodeURIComponent(icon.slice('data:image/svg+xml,'.length));
  const file = await request.get(new URL('assets/favicon.svg', page.url()).href);
  expect(file.status()).toBe(200);
  expect(file.headers()['content-type']).toContain('image/svg+xml');
  const squeeze = (svg) => svg.replace(/>\s+</g, '><').replaceAll('"', "'").trim();
  expect(squeeze(inline)).toBe(squeeze(await file.text()));
  expect(await page.locator('.brand-mark').evaluate((img) => img.complete && img.naturalWidth > 0)).toBe(true);
  expect(errors).toEqual([]);
});

test('a mistyped seed is explained and the last good seed is kept', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  const seed = page.getByRole('textbox', { name: 'Seed' });
  await seed.fill('12x');
  await expect(page.getByRole('alert')).toHaveText(/digits only/);
  await expect(seed).toHaveAttribute('aria-invalid', 'true');
  await seed.fill('1234');
  await expect(seed).toHaveAttribute('aria-invalid', 'false');
  await expect(page.locator('#seed-error')).toBeEmpty();
  await expect(page.locator('#seed-error')).toBeHidden();
  expect(errors).toEqual([]);
});

test('dark theme follows the system preference', async ({ browser }) => {
  for (const [scheme, expectDark] of [['light', false], ['dark', true]]) {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto('./');
    await expect(page.getByRole('heading', { name: 'Faultline', level: 1 })).toBeVisible();
    const luminance = await page.evaluate(() => {
      const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    });
    if (expectDark) expect(luminance).toBeLessThan(0.2);
    else expect(luminance).toBeGreaterThan(0.8);
    await page.screenshot({ path: `${screenshots}/shell-${scheme}.png` });
    expect(errors).toEqual([]);
    await context.close();
  }
});

// Shared by the end-to-end specs.
import { expect } from '@playwright/test';

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

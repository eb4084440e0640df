// The hunt, as a student uses it: one button finds the failure a scenario teaches, shrinks it
// and plays it on stage; with the fix on, it proves the fix over many schedules. The hunt runs
// in a Web Worker, so the page keeps drawing at full speed meanwhile.
import { test, expect } from '@playwright/test';
import { framesPerSecond, screenshots, watchErrors } from './helpers.mjs';

test.use({ viewport: { width: 1440, height: 900 } });

async function openHunt(page, scenario) {
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption(scenario);
  await page.getByRole('button', { name: 'Hunt for failures' }).click();
  await expect(page.getByRole('region', { name: 'Hunt for failures' })).toBeVisible();
  return page.getByRole('region', { name: 'Hunt for failures' });
}

const tried = async (hunt) => {
  const text = await hunt.locator('.hunt-progress-text').textContent();
  return Number(text.match(/Tried ([\d,]+)/)[1].replace(/,/g, ''));
};

test('the page keeps drawing at full speed while the sandbox is hunted, and Cancel stops it', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  const hunt = await openHunt(page, 'sandbox');
  // Only clock offsets and NTP steps, one per schedule: the sandbox elects and times out on
  // monotonic clocks, so it survives every one of those, and the hunt keeps going. (Pauses no
  // longer do: a leader paused long enough is replaced, and writes it acknowledged that the new
  // leader never received are lost, which the checker now reports.)
  await hunt.getByText('Faults it may use: all 9 kinds').click();
  for (const kind of ['partitions', 'one-way cuts', 'pauses', 'crashes and restarts', 'clock drift', 'message loss', 'duplication']) {
    await hunt.getByLabel(kind).uncheck();
  }
  await expect(hunt.getByText('Faults it may use: clock offsets and NTP steps')).toBeVisible();
  await hunt.getByLabel('Faults per schedule, at most').fill('1');
  await hunt.getByLabel('Schedules').fill('100000');
  await hunt.getByRole('button', { name: 'Find a failure' }).click();
  await expect(hunt.locator('.hunt-progress-text')).toContainText('Tried');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => tried(hunt), { timeout: 20_000 }).toBeGreaterThan(0);
  const fps = await framesPerSecond(page, 2_000);
  expect(fps, `frames per second while hunting: ${fps.toFixed(1)}`).toBeGreaterThanOrEqual(50);
  const before = await tried(hunt);
  await page.waitForTimeout(500);
  expect(await tried(hunt), 'the hunt moves on in the worker').toBeGreaterThan(before);
  await page.screenshot({ path: `${screenshots}/hunt-running.png` });
  await hunt.getByRole('button', { name: 'Cancel' }).click();
  await expect(hunt.locator('.hunt-summary')).toContainText(/Cancelled after [\d,]+ schedules\./);
  await expect(hunt.getByRole('button', { name: 'Find a failure' })).toBeEnabled();
  expect(errors).toEqual([]);
});

test('split brain is found, shrunk, put on stage, and its link reopens it elsewhere', async ({ page, browser }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  const hunt = await openHunt(page, 'split-brain');
  await hunt.getByRole('button', { name: 'Find a failure' }).click();
  const summary = hunt.locator('.hunt-summary');
  await expect(summary).toContainText(/^split brain after [\d,]+ schedules? \([\d.]+ m?s\), /, { timeout: 30_000 });
  await expect(summary).toContainText(/shrunk from \d+ faults to [12]: |1 fault, none of which could go: /);
  // On stage: the subject of the scenario with the found faults, at the moment it broke.
  await expect(page.locator('.narration-scenario')).toContainText('(hunted)');
  const findings = page.locator('.finding-kind');
  await expect(findings.filter({ hasText: /split brain/i }).first()).toBeVisible();
  await page.screenshot({ path: `${screenshots}/hunt-found.png` });

  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByRole('textbox', { name: 'Link to this run' }).inputValue();
  await page.keyboard.press('Escape');
  const fresh = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const other = await fresh.newPage();
  const otherErrors = watchErrors(other);
  await other.goto(link);
  await expect(other.locator('.narration-scenario')).toContainText('(hunted)');
  await expect(other.locator('.finding-kind').filter({ hasText: /split brain/i }).first()).toBeVisible();
  // The hunt's settings came along: the same seed is ready to hunt again.
  await other.getByRole('button', { name: 'Hunt for failures' }).click();
  await expect(other.getByRole('region', { name: 'Hunt for failures' }).getByLabel('Seed')).toHaveValue('1');
  await other.screenshot({ path: `${screenshots}/hunt-link-opened.png` });
  expect(otherErrors).toEqual([]);
  await fresh.close();
  expect(errors).toEqual([]);
});

test('with the fix on, the hunt proves it: no violation, and the naive tally beside it', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  const hunt = await openHunt(page, 'split-brain');
  await page.locator('.fix-toggle').check();
  await hunt.getByLabel('Schedules').fill('300');
  await hunt.getByRole('button', { name: 'Prove the fix (300 schedules)' }).click();
  const summary = hunt.locator('.hunt-summary');
  await expect(summary).toContainText('The fix held: no safety property broke in 300 schedules', { timeout: 60_000 });
  await expect(summary).toContainText('Without the fix,');
  const rows = hunt.locator('.tally-words');
  await expect(rows.nth(0)).toContainText(/^Fix on: 0 unsafe, [\d,]+ unanswered or refused, [\d,]+ fine \(of 300\)$/);
  await expect(rows.nth(1)).toContainText(/^Fix off: [1-9][\d,]* unsafe, /);
  await hunt.screenshot({ path: `${screenshots}/hunt-proof.png` });
  expect(errors).toEqual([]);
});

test('a page that forbids workers gets a reason, and the app keeps working', async ({ page }) => {
  const errors = watchErrors(page);
  // A host's content security policy that forbids Web Workers.
  await page.route(/\/faultline\/(index\.html)?$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': "worker-src 'none'" } });
  });
  await page.goto('./');
  const hunt = await openHunt(page, 'split-brain');
  await hunt.getByRole('button', { name: 'Find a failure' }).click();
  await expect(hunt.getByRole('alert').filter({ hasText: 'could not run' })).toContainText('does not allow it to start a Web Worker');
  await expect(hunt.getByRole('button', { name: 'Find a failure' })).toBeEnabled();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.locator('.time-readout')).not.toHaveText(/^0 ·/);
  expect(errors.filter((e) => !/Content Security Policy|worker-src/i.test(e))).toEqual([]);
});

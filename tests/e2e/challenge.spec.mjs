// Challenges with real input: win "two leaders with at most two cuts" by knife strokes and see
// the machine's par, go over the budget and be refused, give up on breaking split-brain's fix and
// see the machine's proof, and open a teacher's own challenge from its link in a fresh context.
import { test, expect } from '@playwright/test';
import { beyond, screenshots, stroke, watchErrors } from './helpers.mjs';

test.use({ viewport: { width: 1920, height: 1080 } });

/** The true time the readout shows, in seconds ("468 · 1.250 s"). */
async function secondsGone(page) {
  const text = (await page.locator('.time-readout').textContent()) ?? '';
  const match = text.match(/([\d.]+)\s*(ms|s)\s*$/);
  if (!match) return 0;
  return Number(match[1]) / (match[2] === 'ms' ? 1000 : 1);
}

test('win two leaders with knife strokes, see the par, and be refused beyond the budget', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./?challenge=two-leaders');
  const panel = page.locator('.challenge');
  await expect(panel.getByRole('heading')).toHaveText('Challenge: Two leaders with at most two cuts');
  await expect(panel.locator('.challenge-budget')).toContainText('Faults left: 2 of 2');
  // Play in the cluster's own time until a leader has been elected and has served a while
  // (1 s of the 3 s), then pause.
  await page.locator('.pace select').selectOption({ label: 'real time' });
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => secondsGone(page), { timeout: 20_000 }).toBeGreaterThan(1.0);
  await page.getByRole('button', { name: 'Pause' }).click();
  const { w, h } = await page.locator('.topology-canvas').evaluate((c) => ({ w: c.clientWidth, h: c.clientHeight }));
  // One stroke cuts {A, B} off from {C, D, E}: one fault, however many links it crosses.
  await stroke(page, [beyond(w, h, 5, 1, 2), beyond(w, h, 5, 4, 0)]);
  await expect(panel.locator('.challenge-budget')).toContainText('Faults left: 1 of 2');
  // A second stroke, one step later, spends the second fault; a third is refused.
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await stroke(page, [beyond(w, h, 5, 0, 1), beyond(w, h, 5, 2, 3)]);
  await expect(panel.locator('.challenge-budget')).toContainText('Faults left: 0 of 2');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await stroke(page, [beyond(w, h, 5, 3, 4), beyond(w, h, 5, 1, 2)]);
  await expect(page.getByText(/Over budget: this challenge allows 2 faults/).first()).toBeVisible();
  await expect(panel.locator('.challenge-budget')).toContainText('Faults left: 0 of 2');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(panel.locator('.challenge-status')).toContainText('Won.', { timeout: 30_000 });
  await expect(page.locator('.challenge.challenge-won')).toHaveCount(1);
  await expect(panel.locator('.challenge-status')).toContainText(/You broke it with 2 faults; the machine needed 1\./, { timeout: 30_000 });
  await page.screenshot({ path: `${screenshots}/challenge-won.png` });
  // The machine's attack replays on stage, and the person's attempt comes back.
  await panel.getByRole('button', { name: "Replay the machine's attack" }).click();
  await expect(panel.locator('.challenge-status')).toContainText("This is the machine's attack: 1 fault.");
  await panel.getByRole('button', { name: 'Back to my attempt' }).click();
  await expect(panel.locator('.challenge-budget')).toContainText('Faults left: 0 of 2');
  // The result to hand in: a link that reopens the won attempt elsewhere.
  await panel.getByRole('button', { name: 'Link to hand in' }).click();
  const link = await page.locator('.share-link').inputValue();
  expect(link).toContain('#v1.');
  const teacher = await page.context().browser().newContext();
  const seen = await teacher.newPage();
  await seen.goto(link);
  await expect(seen.locator('.challenge-status')).toContainText('You broke it with 2 faults', { timeout: 30_000 });
  await teacher.close();
  expect(errors).toEqual([]);
});

test("giving up on breaking split-brain's fix shows the machine's proof", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./?challenge=two-leaders-quorum');
  const panel = page.locator('.challenge');
  await expect(panel.getByRole('heading')).toHaveText('Challenge: Break the majority quorum with two cuts');
  await expect(page.getByRole('checkbox', { name: /Fix/ })).toBeChecked();
  await panel.getByRole('button', { name: 'Give up' }).click();
  await expect(panel.locator('.challenge-status')).toHaveText('You gave up.');
  await expect(panel.locator('.challenge-par')).toHaveText(
    /The machine's proof: 1,000 schedules within your budget, 0 broke it; [1-9][\d,]* broke the naive version\./,
    { timeout: 60_000 },
  );
  await page.screenshot({ path: `${screenshots}/challenge-proof.png` });
  expect(errors).toEqual([]);
});

test("a teacher's own challenge travels by link to a fresh context", async ({ page, browser }) => {
  const errors = watchErrors(page);
  await page.goto('./?scenario=gc-pause-fencing');
  await page.getByRole('button', { name: 'Challenges' }).click();
  const menu = page.getByRole('dialog', { name: 'Challenges' });
  await menu.getByRole('button', { name: /Make a challenge/ }).click();
  const title = menu.locator('input[name=title]');
  await title.fill('Sneak a stale write in with one pause');
  await title.press('Tab');
  await menu.locator('input[name=faults]').fill('0');
  await menu.locator('input[name=faults]').press('Tab');
  await expect(menu.getByRole('alert')).toHaveText('challenge.faults: allow at least 1 fault');
  await expect(menu.getByRole('button', { name: 'Play it' })).toBeDisabled();
  await menu.locator('input[name=faults]').fill('1');
  await menu.locator('input[name=faults]').press('Tab');
  await menu.getByRole('button', { name: 'Play it' }).click();
  const panel = page.locator('.challenge');
  await expect(panel.getByRole('heading')).toHaveText('Challenge: Sneak a stale write in with one pause');
  await panel.getByRole('button', { name: 'Link to this challenge' }).click();
  const link = await page.locator('.share-link').inputValue();
  const student = await browser.newContext();
  const fresh = await student.newPage();
  await fresh.goto(link);
  const theirs = fresh.locator('.challenge');
  await expect(theirs.getByRole('heading')).toHaveText('Challenge: Sneak a stale write in with one pause');
  await expect(theirs.locator('.challenge-budget')).toContainText('Faults left: 1 of 1');
  await student.close();
  // An unknown challenge in an address is named, and the app opens as usual.
  const other = await browser.newContext();
  const typo = await other.newPage();
  await typo.goto('./?challenge=nope');
  await expect(typo.getByText(/a built-in challenge's id/).first()).toBeVisible();
  await expect(typo.locator('.challenge')).toHaveCount(0);
  await other.close();
  expect(errors).toEqual([]);
});

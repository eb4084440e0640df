// Runs never change under the person: the fix keeps the faults, the fault log lists them all
// (and undoes those applied by hand), an address that names a scenario is obeyed while the
// autosave is offered, another seed says the story was written for the shipped one, a run that
// reaches its end rests on one picture however it got there, and the narration follows its
// newest line unless the reader scrolled up.
import { test, expect } from '@playwright/test';
import { screenshots, timelinePixels, watchErrors } from './helpers.mjs';

test.use({ viewport: { width: 1440, height: 900 } });

const faultLog = (page) => page.locator('.fault-log .fault-entry');

/** Opens node `name`'s menu from its keyboard twin (a click on the canvas could land on a
 * message in flight passing the node), and returns it. */
async function openNode(page, name) {
  await page.getByRole('button', { name: new RegExp(`^Node ${name} `) }).focus();
  await page.keyboard.press('Enter');
  return page.getByRole('dialog', { name: `Node ${name}` });
}

test('a hunted run keeps its faults when the fix goes on, and says so in its fault log', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('split-brain');
  await page.getByRole('button', { name: 'Hunt for failures' }).click();
  const hunt = page.getByRole('region', { name: 'Hunt for failures' });
  await hunt.getByRole('button', { name: 'Find a failure' }).click();
  await expect(page.locator('.narration-scenario')).toContainText('(hunted)', { timeout: 30_000 });
  const hunted = faultLog(page).filter({ hasText: 'hunted' });
  await expect(hunted.first()).toBeVisible();
  const words = await hunted.locator('.fault-link').allTextContents();
  expect(words.length).toBeGreaterThan(0);
  const moment = await page.getByRole('status').filter({ hasText: ' s' }).first().textContent();
  await expect(page.locator('.finding-kind').filter({ hasText: 'split brain' }).first()).toBeVisible();

  // The fix changes the model, not the schedule: the same faults, at the same times, and the
  // run stands at the same moment.
  await page.getByRole('checkbox', { name: /Fix/ }).click();
  await expect(page.getByRole('checkbox', { name: /Fix/ })).toBeChecked();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.locator('.narration-scenario')).toContainText('(hunted)');
  await expect(faultLog(page).filter({ hasText: 'hunted' }).locator('.fault-link')).toHaveText(words);
  expect(await page.getByRole('status').filter({ hasText: ' s' }).first().textContent()).toContain(moment.split(' · ')[1]);
  await page.locator('.speed input').fill('11');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled({ timeout: 20_000 });
  expect(await page.locator('.finding-kind').allTextContents()).not.toContain('split brain');
  await page.screenshot({ path: `${screenshots}/runs-hunted-fixed.png` });

  // A fault in the log selects its event on the timeline.
  await faultLog(page).filter({ hasText: 'hunted' }).locator('.fault-link').first().click();
  await expect(page.locator('.selected-event')).toBeVisible();
  expect(errors).toEqual([]);
});

test('faults applied by hand are listed with the scripted ones, kept by the fix, and undone one by one', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('split-brain');
  await page.evaluate(() => document.activeElement.blur());
  for (let i = 0; i < 60; i++) await page.keyboard.press('.');
  // Two faults by hand: C paused, then the link B→A cut.
  await (await openNode(page, 'C')).getByRole('button', { name: 'Pause (GC)' }).click();
  await (await openNode(page, 'B')).getByRole('button', { name: 'Cut B→A' }).click();
  await expect(faultLog(page).filter({ hasText: 'by hand' })).toHaveCount(2);
  await expect(faultLog(page).filter({ hasText: 'C paused (GC)' })).toHaveCount(1);
  // The story is the scenario's own run, and says so.
  await expect(page.locator('.seed-caveat')).toContainText('You changed this run by hand');

  // The fix keeps them, without asking.
  await page.getByRole('checkbox', { name: /Fix/ }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(faultLog(page).filter({ hasText: 'by hand' })).toHaveCount(2);
  await page.locator('.speed input').fill('11');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled({ timeout: 20_000 });
  // The scripted partition is listed too, in time order after the person's.
  await expect(faultLog(page).filter({ hasText: 'scripted' }).first()).toContainText('network split');

  // Undo the pause: the cut stays, the pause is gone, the run stays at its end.
  await faultLog(page).filter({ hasText: 'C paused (GC)' }).getByRole('button', { name: /^Undo/ }).click();
  await expect(faultLog(page).filter({ hasText: 'C paused (GC)' })).toHaveCount(0);
  await expect(faultLog(page).filter({ hasText: 'link B→A cut' })).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled();
  await page.screenshot({ path: `${screenshots}/runs-fault-log.png` });
  expect(errors).toEqual([]);
});

test('an address that names a scenario opens it, and the autosaved run is offered', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('split-brain');
  await page.evaluate(() => document.activeElement.blur());
  for (let i = 0; i < 30; i++) await page.keyboard.press('.');
  await (await openNode(page, 'D')).getByRole('button', { name: 'Crash', exact: true }).click();
  await expect(faultLog(page).filter({ hasText: 'by hand' })).toHaveCount(1);
  // Saved as the page is left.
  for (const address of ['./?scenario=gc-pause-fencing', './#scenario=gc-pause-fencing']) {
    await page.goto('about:blank');
    await page.goto(address);
    await expect(page.locator('.narration-scenario')).toContainText('fencing tokens');
    const offer = page.locator('.offer');
    await expect(offer).toContainText('Two leaders: split brain under a partition');
    await expect(offer).toContainText('with the faults you applied');
  }
  await page.getByRole('button', { name: 'Open my autosaved run' }).click();
  await expect(page.locator('.narration-scenario')).toContainText('Two leaders');
  await expect(faultLog(page).filter({ hasText: 'D crashed' })).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('at another seed the story says it was written for its own, and marks its figures', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('split-brain');
  await page.locator('.speed input').fill('11');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled({ timeout: 20_000 });
  await expect(page.locator('.seed-caveat')).toHaveCount(0);
  await expect(page.locator('.seed-figure')).toHaveCount(0);
  const seed = page.getByRole('textbox', { name: 'Seed' });
  await seed.fill('7');
  await seed.press('Enter');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled({ timeout: 20_000 });
  await expect(page.locator('.seed-caveat')).toContainText('written for seed 1. You are running seed 7');
  // "E's timeout runs out first … leader of term 2": the term is seed 1's.
  const marked = await page.locator('.narration-lines .seed-figure').allTextContents();
  expect(marked).toContain('2');
  const unmarked = await page.locator('.narration-lines li').evaluateAll((items) =>
    items.flatMap((li) => [...li.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent)));
  for (const text of unmarked) expect(text, 'no figure left unmarked').not.toMatch(/(^|[\s(])\d+([.,]\d+)?(\s?(ms|s|%))?([\s.,;:)]|$)/);
  await page.screenshot({ path: `${screenshots}/runs-other-seed.png` });
  expect(errors).toEqual([]);
});

test('a run stepped to its end, played to its end and opened from its link show one picture', async ({ page, browser }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('lww-clock-skew');
  // Stepped, one event at a time, to the end.
  await page.evaluate(() => document.activeElement.blur());
  while (await page.getByRole('button', { name: 'Step', exact: true }).isEnabled()) {
    await page.keyboard.press('.');
  }
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled();
  // The frame loop paints on the next frame: wait until two frames agree.
  const settled = async (p) => {
    let last = await timelinePixels(p);
    for (;;) {
      await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const now = await timelinePixels(p);
      if (now === last) return now;
      last = now;
    }
  };
  const stepped = await settled(page);
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByRole('textbox', { name: 'Link to this run' }).inputValue();
  await page.keyboard.press('Escape');

  // Played to its end.
  await page.getByRole('button', { name: 'Restart' }).click();
  await page.locator('.speed input').fill('11');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled({ timeout: 20_000 });
  expect(await settled(page), 'played to its end: the same picture').toBe(stepped);

  // Opened from its link elsewhere.
  const fresh = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByRole('button', { name: 'Play' })).toBeDisabled();
  expect(await settled(other), 'opened from the link: the same picture').toBe(stepped);
  await other.screenshot({ path: `${screenshots}/runs-one-picture.png` });
  await fresh.close();
  expect(errors).toEqual([]);
});

for (const projector of [false, true]) {
  test(`the narration follows its newest line unless the reader scrolled up${projector ? ' (projector mode)' : ''}`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto('./');
    if (projector) {
      await page.evaluate(() => document.activeElement.blur());
      await page.keyboard.press('p');
    }
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('split-brain');
    await page.locator('.speed input').fill('11');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled({ timeout: 20_000 });
    const panel = page.locator('.narration');
    const newestInView = () => panel.evaluate((panel) => {
      const newest = panel.querySelector('.narration-lines li:last-child').getBoundingClientRect();
      const box = panel.getBoundingClientRect();
      return newest.top >= box.top - 1 && newest.bottom <= box.bottom + 1;
    });
    expect(await panel.evaluate((p) => p.scrollHeight > p.clientHeight), 'the story is longer than its panel').toBe(true);
    await expect.poll(newestInView, { message: 'the newest line is on screen' }).toBe(true);

    // Scrolled up to reread, the reader keeps their place while the story goes on.
    await page.getByRole('button', { name: 'Restart' }).click();
    await page.locator('.speed input').fill('6');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => panel.evaluate((p) => p.scrollHeight > p.clientHeight + 40), { timeout: 20_000 }).toBe(true);
    await page.getByRole('button', { name: 'Pause' }).click();
    await panel.evaluate((p) => { p.scrollTop = 0; p.dispatchEvent(new Event('scroll')); });
    await page.locator('.speed input').fill('11');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled({ timeout: 20_000 });
    expect(await panel.evaluate((p) => p.scrollTop), 'left where the reader put it').toBe(0);
    await page.screenshot({ path: `${screenshots}/runs-narration-${projector ? 'projector' : 'laptop'}.png` });
    expect(errors).toEqual([]);
  });
}

test('an embed with its narration follows the newest line too', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  await page.setContent(`<iframe id="embed" src="${baseURL}?embed=1&scenario=split-brain&panels=narration"
    width="960" height="540" style="border:0"></iframe>`);
  const embed = page.frameLocator('#embed');
  await expect(embed.getByRole('button', { name: 'Play' })).toBeEnabled();
  // An embed has no speed control: its host page asks for speed (the postMessage API).
  await page.evaluate(() => document.getElementById('embed').contentWindow.postMessage({ type: 'faultline:play', speed: 20_000 }, '*'));
  await expect(embed.getByRole('button', { name: 'Play' })).toBeDisabled({ timeout: 20_000 });
  const panel = embed.locator('.narration');
  expect(await panel.evaluate((p) => p.scrollHeight > p.clientHeight), 'the story is longer than its panel').toBe(true);
  await expect.poll(() => panel.evaluate((panel) => {
    const newest = panel.querySelector('.narration-lines li:last-child').getBoundingClientRect();
    const box = panel.getBoundingClientRect();
    return newest.top >= box.top - 1 && newest.bottom <= box.bottom + 1;
  })).toBe(true);
  await page.screenshot({ path: `${screenshots}/runs-narration-embed.png` });
  expect(errors).toEqual([]);
});

// A whole guided lesson with real clicks and keys, as a lecturer and students would go through
// it: the question just before its answer shows (Space there means "answer first"), a vote,
// discussion and a second vote, the verdict with both votes, finding the event where it went
// wrong (a wrong pick first, then the right one), the explanation, and the recap. On a
// 1366×768 laptop, on a 390×844 phone, and in projector mode at 1920×1080; and the sandbox,
// which asks of a fault the person makes.
import { test, expect } from '@playwright/test';
import { exportSvg, screenshots, watchErrors } from './helpers.mjs';

async function trueTime(page) {
  return Number(await page.locator('.time-readout').getAttribute('data-true-time-us'));
}

/** Every control inside `dialog` lies wholly inside the window, and a click at its centre hits
 * it: nothing to scroll, nothing covering it. */
async function allReachable(page, dialog, name) {
  const size = page.viewportSize();
  await page.screenshot({ path: `${screenshots}/guided-${name}.png` });
  for (const control of await dialog.locator('button, input').all()) {
    const box = await control.boundingBox();
    const name = (await control.textContent()) || (await control.getAttribute('class'));
    expect(box, `${name} is laid out`).not.toBeNull();
    expect(box.x >= 0 && box.y >= 0, `${name} starts inside the window`).toBe(true);
    expect(box.x + box.width <= size.width + 0.5, `${name} ends inside the window (x)`).toBe(true);
    expect(box.y + box.height <= size.height + 0.5, `${name} ends inside the window (y)`).toBe(true);
    const hit = await control.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const at = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return at === el || el.contains(at);
    });
    expect(hit, `${name} is what a click at its centre hits`).toBe(true);
  }
}

/** Clicks (or taps) event `index` where the timeline draws it, as the SVG export of this view
 * places it. */
async function pickEvent(page, index, tap = false) {
  const svg = await exportSvg(page);
  const match = svg.match(new RegExp(`data-event="${index}" cx="([^"]*)" cy="([^"]*)"`));
  expect(match, `event ${index} is in view`).not.toBeNull();
  const box = await page.locator('.timeline-canvas').boundingBox();
  const [x, y] = [box.x + Number(match[1]), box.y + Number(match[2])];
  if (tap) await page.touchscreen.tap(x, y);
  else await page.mouse.click(x, y);
}

async function openGuided(page, scenario) {
  await page.goto(`./?scenario=${scenario}`);
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue(scenario);
  await page.getByRole('checkbox', { name: 'Guided' }).check();
  await page.locator('.speed input').fill('11');
}

test.describe('on a 1366×768 laptop', () => {
  test.use({ viewport: { width: 1366, height: 768 } });

  test('gc-pause-fencing: Space at the question, vote, discuss, re-vote, find the event, recap', async ({ page }) => {
    const errors = watchErrors(page);
    await openGuided(page, 'gc-pause-fencing');
    await page.getByRole('button', { name: 'Play' }).click();
    const question = page.getByRole('dialog', { name: 'Predict what happens next' });
    await expect(question).toBeVisible({ timeout: 20_000 });
    // Asked before storage accepts C's write (17.006 s), and nothing shown gives it away.
    expect(await trueTime(page)).toBeLessThan(17_006_203);
    await expect(page.locator('.finding-kind')).toHaveCount(0);
    // The row of each node's state could say what happens: it waits for the answer.
    await expect(page.locator('.end-state')).toHaveCount(0);
    await allReachable(page, question, 'laptop-q');
    // Space (a lecturer's reflex) at the question: answer first, the question stays.
    const before = await trueTime(page);
    await page.evaluate(() => document.activeElement.blur());
    await page.keyboard.press('Space');
    await expect(page.locator('.playback-hint')).toContainText('Answer the question first');
    await expect(question.locator('.guide-hint')).toContainText('Answer the question first');
    await expect(question).toBeVisible();
    expect(await trueTime(page)).toBe(before);
    await page.screenshot({ path: `${screenshots}/guided-laptop-question.png` });
    // Discuss, then vote again.
    await question.getByRole('checkbox', { name: 'Discuss, then vote again' }).check();
    await question.getByRole('button', { name: "The lock service stops C's write" }).click();
    const again = page.getByRole('dialog', { name: 'Discuss, then vote again' });
    await expect(again).toContainText("First vote: The lock service stops C's write");
    await allReachable(page, again, 'laptop-again');
    await again.getByRole('button', { name: /C writes with its expired lease/ }).click();
    const verdict = page.getByRole('dialog', { name: 'Your prediction' });
    await expect(verdict).toContainText("You voted “The lock service stops C's write”, then, after discussing, “C writes with its expired lease, and storage accepts it”.");
    await expect(verdict).toContainText('✓ Right.');
    await verdict.getByRole('button', { name: 'Watch it happen' }).click();
    await expect(page.locator('.end-state-caption')).toHaveText(/^Now, \d+\.\d{3} s$/);
    // Stopped on the lesson's anomaly: find the event where it went wrong.
    const observe = page.getByRole('dialog', { name: 'Find where it went wrong' });
    await expect(observe).toBeVisible({ timeout: 20_000 });
    await expect(observe).toContainText('stale write accepted');
    const target = await observe.getByRole('button', { name: 'Show me' }).getAttribute('data-event');
    // A wrong pick first: the earliest event in view (a write by Client D, seconds before).
    const shown = [...(await exportSvg(page)).matchAll(/data-event="(\d+)"/g)].map((m) => Number(m[1]));
    await pickEvent(page, Math.min(...shown));
    await expect(observe).toContainText('✗ Not that one');
    await expect(observe).toContainText(/Look on .*'s line, at \d+\.\d{3} s\./);
    await page.screenshot({ path: `${screenshots}/guided-laptop-missed.png` });
    await pickEvent(page, target);
    await page.screenshot({ path: `${screenshots}/guided-laptop-picked.png` });
    const explained = page.getByRole('dialog', { name: 'What just happened' });
    await expect(explained).toContainText('✓ Yes: that is where it went wrong.');
    await expect(explained).toContainText('Fencing tokens');
    await explained.getByRole('button', { name: 'Continue' }).click();
    const recap = page.getByRole('dialog', { name: 'Recap' });
    await expect(recap).toBeVisible({ timeout: 20_000 });
    await expect(recap).toContainText('Fencing tokens');
    await expect(recap).toContainText('DDIA');
    // Scrolled into view below the story, as its last word.
    await expect.poll(async () => {
      const [card, panel] = [await recap.boundingBox(), await page.locator('.narration').boundingBox()];
      return card.y >= panel.y - 1 && card.y + Math.min(card.height, panel.height) <= panel.y + panel.height + 1;
    }).toBe(true);
    await page.screenshot({ path: `${screenshots}/guided-laptop-recap.png` });
    expect(errors).toEqual([]);
  });
});

test.describe('on a 390×844 phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 3 });

  test('split-brain: the question comes to the front, a tap answers, Show me finds the event', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('./?scenario=split-brain');
    await page.getByRole('button', { name: 'Story', exact: true }).tap();
    await page.getByRole('checkbox', { name: 'Guided' }).tap();
    await expect(page.getByRole('checkbox', { name: 'Guided' })).toBeChecked();
    await page.getByRole('button', { name: 'Timeline', exact: true }).tap();
    await page.getByRole('button', { name: 'More', exact: true }).tap();
    await page.locator('.speed input').fill('11');
    await page.getByRole('button', { name: 'More', exact: true }).tap();
    await page.getByRole('button', { name: 'Play' }).tap();
    const question = page.getByRole('dialog', { name: 'Predict what happens next' });
    await expect(question).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole('button', { name: 'Story', exact: true })).toHaveAttribute('aria-pressed', 'true');
    expect(await trueTime(page), 'before E times out at 1.234 s').toBeLessThan(1_234_130);
    await allReachable(page, question, 'phone-q');
    await page.screenshot({ path: `${screenshots}/guided-phone-question.png` });
    await question.getByRole('button', { name: /One of C, D, E declares itself leader/ }).tap();
    const verdict = page.getByRole('dialog', { name: 'Your prediction' });
    await expect(verdict).toContainText('✓ Right.');
    await verdict.getByRole('button', { name: 'Watch it happen' }).tap();
    // The card says what to do; the student goes to the diagram and taps an event, and the
    // verdict comes back to the front.
    const observe = page.getByRole('dialog', { name: 'Find where it went wrong' });
    await expect(observe).toContainText('split brain', { timeout: 20_000 });
    await expect(page.getByRole('button', { name: 'Story', exact: true })).toHaveAttribute('aria-pressed', 'true');
    const target = await observe.getByRole('button', { name: 'Show me' }).getAttribute('data-event');
    await page.getByRole('button', { name: 'Timeline', exact: true }).tap();
    await pickEvent(page, target, true);
    await expect(page.getByRole('button', { name: 'Story', exact: true })).toHaveAttribute('aria-pressed', 'true');
    const explained = page.getByRole('dialog', { name: 'What just happened' });
    await expect(explained).toContainText('✓ Yes: that is where it went wrong.');
    await expect(explained).toContainText('Just now: split brain');
    await page.screenshot({ path: `${screenshots}/guided-phone-explained.png` });
    expect(errors).toEqual([]);
  });
});

test.describe('in projector mode at 1920×1080', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test('every choice is visible without scrolling, and the room discusses by default', async ({ page }) => {
    const errors = watchErrors(page);
    for (const scenario of ['split-brain', 'crash-amnesia', 'delivery-semantics']) {
      await openGuided(page, scenario);
      if (!(await page.locator('.app.projector').count())) {
        await page.evaluate(() => document.activeElement.blur());
        await page.keyboard.press('p');
      }
      await expect(page.locator('.app')).toHaveClass(/projector/);
      await page.getByRole('button', { name: 'Play' }).click();
      const question = page.getByRole('dialog', { name: 'Predict what happens next' });
      await expect(question).toBeVisible({ timeout: 20_000 });
      await expect(question.getByRole('checkbox', { name: 'Discuss, then vote again' })).toBeChecked();
      await allReachable(page, question, `projector-q-${scenario}`);
      await page.screenshot({ path: `${screenshots}/guided-projector-${scenario}.png` });
      await question.locator('.choice').first().click();
      const again = page.getByRole('dialog', { name: 'Discuss, then vote again' });
      await allReachable(page, again, `projector-again-${scenario}`);
      await again.getByRole('button', { name: 'Reveal without voting again' }).click();
      await expect(page.getByRole('dialog', { name: 'Your prediction' })).toContainText('You voted');
    }
    expect(errors).toEqual([]);
  });
});

test.describe('the sandbox', () => {
  test.use({ viewport: { width: 1366, height: 768 } });

  test('asks what a crash the person makes will do, and its answer is what happens', async ({ page }) => {
    const errors = watchErrors(page);
    await openGuided(page, 'sandbox');
    await page.locator('.speed input').fill('9');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => trueTime(page), { timeout: 20_000 }).toBeGreaterThan(2_000_000);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByRole('dialog', { name: 'Predict what happens next' })).toHaveCount(0);
    // Crash node C through its menu, opened from its keyboard twin (a click on the canvas may
    // land on a message gliding past the node, which opens that message's menu instead).
    await page.getByRole('button', { name: /^Node C/ }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Node C' }).getByRole('button', { name: 'Crash', exact: true }).click();
    const question = page.getByRole('dialog', { name: 'Predict what happens next' });
    await expect(question).toContainText('You broke the cluster');
    await allReachable(page, question, 'sandbox-q');
    await question.locator('.choice').first().click();
    const verdict = page.getByRole('dialog', { name: 'Your prediction' });
    await expect(verdict).toContainText(/✓ Right\.|✗ Not quite\. The answer: /);
    expect(errors).toEqual([]);
  });
});

test.describe('presentation mode at 1920×1080', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test('the diagram fills the screen, the story is a caption, the question an overlay with Reveal, paced in cluster time', async ({ page }) => {
    const errors = watchErrors(page);
    await openGuided(page, 'gc-pause-fencing');
    await page.evaluate(() => document.activeElement.blur());
    await page.keyboard.press('f');
    await expect(page.locator('.app')).toHaveClass(/present/);
    // The diagram takes the screen; the controls are a small bar; no inspector.
    const size = page.viewportSize();
    const timeline = await page.locator('.timeline-canvas').boundingBox();
    expect(timeline.width * timeline.height, 'the timeline fills most of the screen').toBeGreaterThan(size.width * size.height * 0.45);
    expect((await page.locator('.controls').boundingBox()).height, 'a small bar of controls').toBeLessThan(90);
    await expect(page.locator('.inspector')).toBeHidden();
    // The students' link: this scenario, guided.
    await expect(page.locator('.follow-link')).toContainText('?scenario=gc-pause-fencing&guided=1');
    // Paced in cluster time: real time, 1 s of it per second.
    await page.getByRole('combobox', { name: 'Pace' }).selectOption({ label: 'real time' });
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => trueTime(page), { timeout: 20_000 }).toBeGreaterThan(500_000);
    const [t0, w0] = [await trueTime(page), await page.evaluate(() => performance.now())];
    await expect.poll(() => trueTime(page), { timeout: 20_000 }).toBeGreaterThan(t0 + 1_500_000);
    const [t1, w1] = [await trueTime(page), await page.evaluate(() => performance.now())];
    const rate = (t1 - t0) / ((w1 - w0) * 1000);
    expect(rate, `cluster seconds per wall second (${rate.toFixed(2)})`).toBeGreaterThan(0.6);
    expect(rate).toBeLessThan(1.6);
    // The newest line of the story is a large caption.
    const caption = page.locator('.narration-lines li').last();
    await expect(caption).toBeVisible();
    expect(parseFloat(await caption.evaluate((li) => getComputedStyle(li).fontSize)), 'caption type').toBeGreaterThanOrEqual(28);
    await page.screenshot({ path: `${screenshots}/present-playing.png` });
    // Faster to the question, which is an overlay over the diagram; Reveal shows the answer.
    await page.getByRole('combobox', { name: 'Pace' }).selectOption({ label: 'by events' });
    await page.locator('.speed input').fill('11');
    const question = page.getByRole('dialog', { name: 'Predict what happens next' });
    await expect(question).toBeVisible({ timeout: 30_000 });
    await allReachable(page, question, 'present-question');
    const box = await question.boundingBox();
    expect(box.x + box.width / 2, 'centred over the diagram').toBeGreaterThan(size.width * 0.4);
    expect(box.x + box.width / 2).toBeLessThan(size.width * 0.6);
    await question.getByRole('button', { name: 'Reveal the answer' }).click();
    const answer = page.getByRole('dialog', { name: 'The answer' });
    await expect(answer).toContainText('The answer: C writes with its expired lease, and storage accepts it.');
    await page.screenshot({ path: `${screenshots}/present-answer.png` });
    await answer.getByRole('button', { name: 'Watch it happen' }).click();
    await expect(page.getByRole('dialog', { name: 'Find where it went wrong' })).toBeVisible({ timeout: 20_000 });
    // F again leaves presentation mode.
    await page.evaluate(() => document.activeElement.blur());
    await page.keyboard.press('f');
    await expect(page.locator('.app')).not.toHaveClass(/present/);
    await expect(page.locator('.inspector')).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('a student opening the short link lands in the guided lesson', async ({ page }) => {
    await page.goto('./?scenario=split-brain&guided=1');
    await expect(page.getByRole('checkbox', { name: 'Guided' })).toBeChecked();
    await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('split-brain');
  });
});

// The course page and the progress kept on the device, with real clicks and keys: open the
// course, open a lesson from it (guided), answer its question, reload and find the status kept;
// export the progress, reset it, import it back; a broken file is refused by field and changes
// nothing. Readable on a 390×844 phone and a 1920×1080 projector.
import { test, expect } from '@playwright/test';
import { screenshots, watchErrors } from './helpers.mjs';

const GC = 'A process pause outlives its lease: fencing tokens';

/** The course dialog. */
const course = (page) => page.getByRole('dialog', { name: /^Course/ });
/** A lesson's item in the course. */
const lesson = (page, id) => course(page).locator(`[data-lesson="${id}"]`);

test.describe('on a 1366×768 laptop', () => {
  test.use({ viewport: { width: 1366, height: 768 } });

  test('a lesson opened from the course, its prediction kept across a reload; export, reset, import', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('./');
    await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('split-brain');
    await page.getByRole('button', { name: 'Course', exact: true }).click();
    const dialog = course(page);
    await expect(dialog).toBeVisible();
    // Focus is in the dialog, and Tab goes round within it.
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
    // The sections of chapter 8 in the book's order, the lesson on stage opened.
    await expect(dialog.locator('h3')).toHaveText(['Unreliable Networks', 'Unreliable Clocks', 'Knowledge, Truth, and Lies']);
    await expect(dialog.locator('.course-summary')).toHaveText('1 of 20 lessons opened · 0 challenges won');
    await expect(lesson(page, 'split-brain').locator('.course-status').first()).toHaveText('◐Opened');
    await expect(lesson(page, 'gc-pause-fencing').locator('.course-status').first()).toHaveText('○Not started');
    // The recap, folded until asked for; the lesson's challenge with its budget.
    const gc = lesson(page, 'gc-pause-fencing');
    await gc.locator('summary').click();
    await expect(gc.locator('.recap-lines')).toContainText('Fencing tokens');
    await expect(gc.locator('.recap-source')).toContainText('Knowledge, Truth, and Lies');
    await page.screenshot({ path: `${screenshots}/course-laptop.png` });

    // Open the lesson: guided, on stage, the course closed.
    await gc.getByRole('button', { name: `Open the lesson: ${GC}` }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('gc-pause-fencing');
    await expect(page.getByRole('checkbox', { name: 'Guided' })).toBeChecked();
    await page.locator('.speed input').fill('11');
    await page.getByRole('button', { name: 'Play' }).click();
    const question = page.getByRole('dialog', { name: 'Predict what happens next' });
    await expect(question).toBeVisible({ timeout: 20_000 });
    await question.getByRole('button', { name: /C writes with its expired lease/ }).click();
    await expect(page.getByRole('dialog', { name: 'Your prediction' })).toContainText('✓ Right.');

    // Kept on the device: after a reload, the course says so.
    await expect.poll(() => page.evaluate(() => localStorage.getItem('faultline.progress') || '')).toContain('"first_right": true');
    await page.reload();
    await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('gc-pause-fencing');
    await page.getByRole('button', { name: 'Course', exact: true }).click();
    await expect(dialog.locator('.course-summary')).toHaveText('2 of 20 lessons opened · 0 challenges won');
    await expect(gc.locator('.course-status').first()).toHaveText('★Predicted right first time');
    // Escape closes it, and focus goes back to the Course button.
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('button', { name: 'Course', exact: true })).toBeFocused();

    // The address opens the course too.
    await page.goto('./?course=1');
    await expect(dialog).toBeVisible();
    await expect(gc.locator('.course-status').first()).toHaveText('★Predicted right first time');

    // Export.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Export progress' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('faultline-progress.json');
    const exported = Buffer.concat(await (await download.createReadStream()).toArray()).toString();
    const file = JSON.parse(exported);
    expect(file.format).toBe('faultline-progress');
    expect(file.version).toBe(1);
    expect(file.lessons['gc-pause-fencing']).toEqual({ opened: true, first_right: true });

    // Reset asks first; keeping changes nothing, resetting forgets everything.
    await dialog.getByRole('button', { name: 'Reset progress' }).click();
    await dialog.getByRole('button', { name: 'Keep my progress' }).click();
    await expect(gc.locator('.course-status').first()).toHaveText('★Predicted right first time');
    await dialog.getByRole('button', { name: 'Reset progress' }).click();
    await expect(dialog.getByRole('alert')).toContainText('Reset your progress?');
    await dialog.getByRole('button', { name: 'Reset it' }).click();
    await expect(dialog.locator('.course-summary')).toHaveText('0 of 20 lessons opened · 0 challenges won');
    await expect(gc.locator('.course-status').first()).toHaveText('○Not started');

    // Import the exported file back.
    const picker = dialog.getByLabel('Import progress');
    await picker.setInputFiles({ name: 'faultline-progress.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await expect(dialog.getByRole('status')).toHaveText('Progress imported and merged with yours.');
    await expect(gc.locator('.course-status').first()).toHaveText('★Predicted right first time');
    await expect(dialog.locator('.course-summary')).toHaveText('2 of 20 lessons opened · 0 challenges won');

    // A broken file is refused by field, and the progress is as it was.
    const broken = '{"format": "faultline-progress", "version": 1, "lessons": {"split-brain": {"opened": "yes"}}}';
    await picker.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(broken) });
    await expect(dialog.getByRole('alert')).toContainText('lessons.split-brain.opened should be true or false');
    await expect(dialog.getByRole('alert')).toContainText('Your progress is as it was.');
    await expect(gc.locator('.course-status').first()).toHaveText('★Predicted right first time');
    await page.screenshot({ path: `${screenshots}/course-refused.png` });
    await page.reload();
    await expect(dialog).toBeVisible();
    await expect(dialog.locator('.course-summary')).toHaveText('2 of 20 lessons opened · 0 challenges won');

    // Playing a challenge puts its scenario on stage (break the fix: the fix on).
    await lesson(page, 'split-brain').getByRole('button', { name: 'Play the challenge: Break the majority quorum with two cuts' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('split-brain');
    await expect(page.locator('.fix-toggle')).toBeChecked();
    expect(errors).toEqual([]);
  });
});

/** The dialog fits the window's width: nothing sideways to scroll, every button inside. */
async function fitsTheWidth(page) {
  const dialog = course(page);
  await expect(dialog).toBeVisible();
  const width = page.viewportSize().width;
  expect(await dialog.evaluate((d) => d.scrollWidth <= d.clientWidth)).toBe(true);
  for (const button of await dialog.locator('.course-head button, .share-actions > *').all()) {
    const box = await button.boundingBox();
    expect(box.x >= 0 && box.x + box.width <= width + 0.5).toBe(true);
  }
}

test.describe('on a 390×844 phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 3 });

  test('the course fills the screen and closes', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('./?course=1');
    await fitsTheWidth(page);
    // The lesson on stage as the page opened is already counted.
    await expect(course(page).locator('.course-summary')).toHaveText('1 of 20 lessons opened · 0 challenges won');
    await page.screenshot({ path: `${screenshots}/course-phone.png` });
    await course(page).getByRole('button', { name: 'Close' }).tap();
    await expect(course(page)).toBeHidden();
    // From the controls: behind More on a phone.
    await page.getByRole('button', { name: 'More', exact: true }).tap();
    await page.getByRole('button', { name: 'Course', exact: true }).tap();
    await fitsTheWidth(page);
    expect(errors).toEqual([]);
  });
});

test.describe('on a 1920×1080 projector', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test('the course is a readable column', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('./?course=1');
    await fitsTheWidth(page);
    const box = await course(page).boundingBox();
    // A column the eye can follow, centred.
    expect(box.width).toBeLessThan(1300);
    expect(Math.abs(box.x + box.width / 2 - 960)).toBeLessThan(2);
    await page.screenshot({ path: `${screenshots}/course-projector.png` });
    expect(errors).toEqual([]);
  });
});

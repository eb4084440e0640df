// Printed handouts and slide exports (issue 28 §3).
// - The course's handout and a lesson's, printed to PDF by Chromium on A4 and on US Letter: one
//   contents page, then two pages per lesson (the question; after the run), no more, no fewer;
//   every figure inside the page's width and within one page's height, no label cut off by its
//   figure's edge, no sheet overflowing its page; the text is text (the PDF has fonts, and its
//   pages, read back with tests/e2e/pdf-text.mjs, say the titles, questions and the figures'
//   labels).
// - A guided lesson's recap links to the handouts; their contents open a lesson's own page, and
//   its bar leads back to the app.
// - The Export menu's slide PNGs: twice the canvas's pixels with the title and caption bands, and
//   exactly 1920×1080 (read from the downloaded PNG's header).
import { test, expect } from '@playwright/test';
import { screenshots, watchErrors, runToEnd } from './helpers.mjs';
import { pageObjects, pdfPages, squeezed } from './pdf-text.mjs';

const MM = 96 / 25.4;
// The page's content box at the handouts' @page margins (12 mm top and bottom, 14 mm sides).
const FORMATS = {
  A4: { width: (210 - 28) * MM, height: (297 - 24) * MM },
  Letter: { width: (215.9 - 28) * MM, height: (279.4 - 24) * MM },
};
const LESSONS = 20;

/** The page laid out for print on `format`'s content width: what the print shows. */
async function asPrinted(page, format) {
  await page.setViewportSize({ width: Math.floor(FORMATS[format].width), height: Math.floor(FORMATS[format].height) });
  await page.emulateMedia({ media: 'print' });
}

/** Each figure and sheet measured as laid out for print; what is clipped or too big. */
async function misfits(page, format) {
  const { width, height } = FORMATS[format];
  return page.evaluate(({ width, height }) => {
    const found = [];
    for (const svg of document.querySelectorAll('svg')) {
      const box = svg.getBoundingClientRect();
      const name = svg.closest('[data-lesson]')?.dataset.lesson;
      if (box.left < -0.5 || box.right > width + 0.5) found.push(`${name}: a figure spans ${box.left}..${box.right} px of ${width}`);
      if (box.height > height) found.push(`${name}: a figure is ${box.height} px tall, the page ${height}`);
      if (box.width < width * 0.6) found.push(`${name}: a figure is only ${box.width} px wide`);
      for (const text of svg.querySelectorAll('text')) {
        const t = text.getBoundingClientRect();
        if (t.left < box.left - 1 || t.right > box.right + 1 || t.top < box.top - 1 || t.bottom > box.bottom + 1) {
          found.push(`${name}: “${text.textContent}” is cut off by its figure's edge`);
        }
      }
    }
    for (const sheet of document.querySelectorAll('.h-sheet')) {
      const box = sheet.getBoundingClientRect();
      const name = `${sheet.dataset.lesson || 'contents'} (${sheet.className})`;
      if (box.height > height) found.push(`${name}: the sheet is ${box.height} px tall, the page ${height}`);
      if (sheet.scrollHeight > sheet.clientHeight + 1) found.push(`${name}: its content overflows by ${sheet.scrollHeight - sheet.clientHeight} px`);
    }
    return found;
  }, { width, height });
}

/** The handout's lessons in order, each with its title and question as the page says them. */
function lessonsOf(page) {
  return page.$$eval('.h-question', (sheets) => sheets.map((s) => ({
    id: s.dataset.lesson,
    title: s.querySelector('h1').textContent,
    question: s.querySelector('.h-q').textContent,
    labels: [...s.querySelectorAll('svg text')].map((t) => t.textContent),
  })));
}

for (const [file, pages] of [['index.html', 1 + 2 * LESSONS], ['gc-pause-fencing.html', 2]]) {
  test(`handouts/${file} prints on A4 and Letter: ${pages} pages, figures whole, text selectable`, async ({ page }) => {
    test.setTimeout(120_000);
    const errors = watchErrors(page);
    await page.goto(`handouts/${file}`);
    const lessons = await lessonsOf(page);
    expect(lessons.length).toBe((pages - (pages % 2)) / 2);
    if (file === 'index.html') {
      await expect(page.locator('.h-contents h2')).toHaveText([
        'Unreliable networks', 'Unreliable clocks', 'Process pauses', 'Knowledge, truth and lies', 'System models',
      ]);
      expect(lessons.map((l) => l.id)).not.toContain('sandbox');
    }
    for (const format of ['A4', 'Letter']) {
      await asPrinted(page, format);
      expect(await misfits(page, format), format).toEqual([]);
      // The title is text on the printed page.
      await expect(page.locator('.h-question h1').first()).toHaveText(lessons[0].title);
      await expect(page.locator('.h-bar')).toBeHidden();
      const pdf = await page.pdf({ format });
      expect(pageObjects(pdf), `${format}: page objects`).toBe(pages);
      expect(pdf.toString('latin1')).toMatch(/\/Type\s*\/Font\b/);
      const printed = pdfPages(pdf);
      expect(printed.length).toBe(pages);
      // Each lesson's question page says its title, question and figure's labels, as text;
      // its second page is "after the run". The answer is on neither: no choice is marked.
      lessons.forEach((lesson, i) => {
        const [question, after] = [printed[pages - 2 * (lessons.length - i)], printed[pages - 2 * (lessons.length - i) + 1]];
        const text = squeezed(question.text);
        expect(text, `${format}: ${lesson.id}'s title on its page`).toContain(squeezed(lesson.title));
        expect(text, `${format}: ${lesson.id}'s question`).toContain(squeezed(lesson.question));
        for (const label of lesson.labels) expect(text, `${format}: ${lesson.id}'s label`).toContain(squeezed(label));
        expect(squeezed(after.text)).toContain(squeezed(`After the run: ${lesson.title}`));
        expect(squeezed(after.text)).toContain('Recap');
        expect(question.runs.length, `${format}: ${lesson.id}: text runs`).toBeGreaterThan(50);
      });
      if (file === 'index.html') expect(squeezed(printed[0].text)).toContain(squeezed('The trouble with distributed systems'));
    }
    // Question pages only: half the lesson pages.
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('checkbox', { name: 'Question pages only' }).check();
    await page.emulateMedia({ media: 'print' });
    expect(pageObjects(await page.pdf({ format: 'A4' }))).toBe(pages - lessons.length);
    expect(errors).toEqual([]);
  });
}

test('a lesson handout reads well printed (screenshot of both sheets as printed on Letter)', async ({ page }) => {
  await page.goto('handouts/gc-pause-fencing.html');
  await asPrinted(page, 'Letter');
  await page.locator('.h-question').screenshot({ path: `${screenshots}/handout-question.png` });
  await page.locator('.h-after').screenshot({ path: `${screenshots}/handout-after.png` });
  // The choices are tick boxes, none ticked or marked.
  await expect(page.locator('.h-choices li')).toHaveCount(3);
  await expect(page.locator('.h-choices .h-box')).toHaveCount(3);
});

test.describe('in the app', () => {
  test.use({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });

  test("a lesson's recap links to the handouts, whose contents open the lesson's own", async ({ page, context }) => {
    test.setTimeout(60_000);
    const errors = watchErrors(page);
    await page.goto('./?scenario=gc-pause-fencing');
    await page.getByRole('checkbox', { name: 'Guided' }).check();
    await page.locator('.speed input').fill('11');
    await page.getByRole('button', { name: 'Play' }).click();
    await page.getByRole('button', { name: 'Skip the question' }).click({ timeout: 20_000 });
    const observe = page.getByRole('dialog', { name: 'Find where it went wrong' });
    await observe.getByRole('button', { name: 'Show me' }).click({ timeout: 20_000 });
    await page.getByRole('dialog', { name: 'What just happened' }).getByRole('button', { name: 'Continue' }).click();
    const link = page.getByRole('dialog', { name: 'Recap' }).getByRole('link', { name: 'Handouts to print' });
    await expect(link).toHaveAttribute('href', 'handouts/index.html');
    const [course] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await expect(course).toHaveURL(/\/faultline\/handouts\/index\.html$/);
    await course.locator('.h-contents li', { hasText: 'A process pause outlives its lease' })
      .getByRole('link', { name: 'this lesson alone' }).click();
    await expect(course).toHaveURL(/\/faultline\/handouts\/gc-pause-fencing\.html$/);
    await expect(course.locator('h1')).toHaveText('A process pause outlives its lease: fencing tokens');
    await course.getByRole('link', { name: 'Open Faultline' }).click();
    await expect(course.getByRole('combobox', { name: 'Scenario' })).toBeVisible({ timeout: 20_000 });
    expect(errors).toEqual([]);
  });

  /** The pixel size a downloaded PNG says in its header. */
  async function pngSize(page, name) {
    await page.locator('.export-menu summary').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name, exact: true }).click()]);
    const png = Buffer.concat(await (await download.createReadStream()).toArray());
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), file: download.suggestedFilename(), png };
  }

  test('the Export menu offers the view as a slide at 2× and at 1920×1080, titled and captioned', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('./');
    await runToEnd(page, 'gc-pause-fencing');
    const canvas = await page.locator('.timeline-canvas').evaluate((c) => [c.clientWidth, c.clientHeight]);
    const plain = await pngSize(page, 'PNG');
    const slide = await pngSize(page, 'PNG for slides (2×)');
    // The canvas at twice its pixels, a 44 px band above for the title and 38 px below for the
    // caption (render::slide's TITLE_BAND and CAPTION_BAND).
    expect([slide.width, slide.height]).toEqual([canvas[0] * 2, (canvas[1] + 44 + 38) * 2]);
    expect(slide.file).toBe('faultline-gc-pause-fencing-slide.png');
    expect(plain.width).toBeLessThan(slide.width);
    const projector = await pngSize(page, 'PNG for a projector');
    expect([projector.width, projector.height]).toEqual([1920, 1080]);
    expect(projector.file).toBe('faultline-gc-pause-fencing-1920x1080.png');
    // Look at it: the slide drawn in a page of its own.
    const shot = await page.context().newPage();
    await shot.setViewportSize({ width: 960, height: 540 });
    await shot.setContent(`<img style="width:960px" src="data:image/png;base64,${projector.png.toString('base64')}">`);
    await shot.screenshot({ path: `${screenshots}/slide-projector.png` });
    expect(errors).toEqual([]);
  });
});

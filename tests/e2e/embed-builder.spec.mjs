// The embed builder in the Share dialog: the choices reach the live preview, and the snippet,
// pasted into a page on another origin, opens the same embed showing what was chosen. The "Fit
// the column" snippet's script is valid and believes only its own embed, and only a sane height.
// Every control of the builder can be reached and used on a phone and on desktop screens.
import vm from 'node:vm';
import { test, expect } from '@playwright/test';
import { screenshots, watchErrors, hostServer } from './helpers.mjs';

// The host page is served by the test itself on another port: another origin, on this machine.
const host = hostServer();
const hostOf = host.origin;

/** Serves `snippet` in a blog post on the host's origin and opens it. */
async function pasteInHost(page, snippet, extra = '') {
  host.body = `<!doctype html><html lang="en"><meta charset="utf-8"><title>A blog post</title>
<main style="max-width:760px;margin:0 auto;font:16px sans-serif"><h1>A blog post</h1>
<p>Here is what happens:</p>
${snippet}
<p>The end.</p></main>${extra}`;
  await page.goto(`${hostOf()}/blog/post.html`);
}

/** Opens the Share dialog of the run on stage; returns the dialog. */
async function openShare(page) {
  const more = page.getByRole('button', { name: 'More' });
  if (await more.isVisible()) await more.click();
  await page.getByRole('button', { name: 'Share' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share this run' });
  // The builder opens on request: copying a link loads no second Faultline for its preview.
  await expect(dialog.locator('iframe')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Put it in a blog post or slides…' }).click();
  await expect(dialog.getByRole('region', { name: 'Put it in a blog post or slides' })).toBeVisible();
  return dialog;
}

const readoutStep = async (frame) =>
  Number((await frame.locator('.time-readout').textContent()).split(' ')[0]);

test.describe('at 1366×768', () => {
  test.use({ viewport: { width: 1366, height: 768 } });

  test('the choices reach the preview, and the pasted snippet opens the same embed on another origin', async ({ page, baseURL, browser }) => {
    const errors = watchErrors(page);
    await page.goto('./');
    const picker = page.getByRole('combobox', { name: 'Scenario' });
    await picker.selectOption('split-brain');
    const scenarioTitle = (await picker.locator('option:checked').textContent()).trim();
    // The scenario's fix on, three steps in: the start step offered is the step on stage.
    await page.locator('.fix-toggle').check();
    await expect(page.locator('.fix-toggle')).toBeChecked();
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(page.locator('.time-readout')).toHaveText(/^3 ·/);

    const dialog = await openShare(page);
    const step = dialog.getByRole('textbox', { name: 'Start at step' });
    const title = dialog.getByRole('textbox', { name: 'Title, read out by screen readers' });
    await expect(step).toHaveValue('3');
    await expect(title).toHaveValue(`Faultline: ${scenarioTitle}`);
    const preview = dialog.locator('iframe[title="Preview of the embed"]');
    const base = new URL('./', baseURL).href;
    await expect(preview).toHaveAttribute('src', `${base}?embed=1&scenario=split-brain&fix=1&step=3`);

    // The choices.
    await dialog.getByRole('combobox', { name: 'Size' }).selectOption('column');
    await dialog.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    await dialog.getByRole('checkbox', { name: 'Play on opening' }).check();
    await dialog.getByRole('combobox', { name: 'Speed when playing' }).selectOption({ label: '2 events/s' });
    await dialog.getByRole('checkbox', { name: 'The narration' }).check();
    // A step that is no step is said plainly, and there is nothing to copy until it is one.
    await step.fill('-4');
    await expect(dialog.locator('#embed-step-error')).toHaveText(
      'The start step is a whole number, 0 or more (like 0 or 25), not “-4”.');
    await expect(step).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog.getByRole('button', { name: 'Copy embed code' })).toBeDisabled();
    await step.fill('12');
    await expect(dialog.locator('#embed-step-error')).toBeEmpty();
    await expect(step).toHaveAttribute('aria-invalid', 'false');
    await title.fill('Split brain, "step" by <step>');

    const src = `${base}?embed=1&scenario=split-brain&fix=1&step=12&autoplay=1&speed=2&theme=dark&panels=narration`;
    await expect(preview).toHaveAttribute('src', src);
    // The preview shows the embed at 720×480, scaled to the dialog's width.
    await expect(preview).toHaveAttribute('width', '720');
    await expect(preview).toHaveAttribute('height', '480');
    const previewFrame = page.frameLocator('iframe[title="Preview of the embed"]');
    await expect(previewFrame.locator('.app')).toHaveClass(/embed/);
    await expect(previewFrame.locator('html')).toHaveAttribute('data-theme', 'dark');
    // The preview plays (its events go up to this page), and the run on stage stays where it
    // was: a framed page's events are not commands.
    await expect.poll(() => readoutStep(previewFrame)).toBeGreaterThan(13);
    await expect(page.locator('.time-readout')).toHaveText(/^3 ·/);
    const box = await preview.boundingBox();
    const dialogBox = await dialog.boundingBox();
    expect(box.width).toBeLessThanOrEqual(dialogBox.width);
    expect(box.height / box.width).toBeCloseTo(480 / 720, 2);

    const code = dialog.getByRole('textbox', { name: 'Embed code' });
    const snippet = await code.inputValue();
    const escaped = src.replaceAll('&', '&amp;');
    expect(snippet).toMatch(new RegExp(`^<iframe id="faultline-[0-9a-f]{8}" src="${escaped.replace(/[.?*+^$()[\]{}|\\]/g, '\\$&')}" width="720" height="480" style="border:0;max-width:100%" title="Split brain, &quot;step&quot; by &lt;step&gt;" loading="lazy" allow="clipboard-write"></iframe>$`));
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await dialog.getByRole('button', { name: 'Copy embed code' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
    await dialog.getByRole('region', { name: 'Put it in a blog post or slides' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${screenshots}/embed-builder-1366x768-chosen.png` });
    const previewSrc = await preview.getAttribute('src');
    expect(errors).toEqual([]);

    // The snippet in a blog post on another origin.
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const blog = await context.newPage();
    const blogErrors = watchErrors(blog);
    await pasteInHost(blog, snippet);
    const iframe = blog.locator('iframe');
    expect(await iframe.getAttribute('src')).toBe(previewSrc);
    expect(await iframe.getAttribute('title')).toBe('Split brain, "step" by <step>');
    const frame = blog.frameLocator('iframe');
    await expect(frame.locator('.app')).toHaveClass(/embed/);
    await expect(frame.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(frame.getByRole('region', { name: 'Narration' })).toBeVisible();
    await expect(frame.getByRole('complementary', { name: 'Inspector' })).toBeHidden();
    await expect(frame.locator('.fix-toggle')).toBeChecked();
    await expect(frame.locator('.speed-value')).toHaveText('2 events/s');
    // It opened at step 12 and plays on from there, two events a second.
    await expect(frame.getByRole('button', { name: 'Pause' })).toBeVisible();
    await expect(frame.locator('.time-readout')).toHaveText(/^1[2-9] ·/);
    await expect.poll(() => readoutStep(frame)).toBeGreaterThan(12);
    expect(await readoutStep(frame)).toBeLessThan(30);
    const size = await iframe.boundingBox();
    expect([size.width, size.height]).toEqual([720, 480]);
    await blog.screenshot({ path: `${screenshots}/embed-builder-host.png` });
    expect(blogErrors).toEqual([]);
    await context.close();
  });

  test('a run with faults of its own rides in the fragment, opening at the start step', async ({ page, baseURL, browser }) => {
    const errors = watchErrors(page);
    await page.goto('./');
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('sandbox');
    for (let i = 0; i < 20; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
    await page.getByRole('button', { name: 'Link A–C (up)' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Link A–C (cut)' })).toHaveCount(1);
    for (let i = 0; i < 10; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(page.locator('.time-readout')).toHaveText(/^30 ·/);

    const dialog = await openShare(page);
    const link = await dialog.getByRole('textbox', { name: 'Link to this run' }).inputValue();
    const preview = dialog.locator('iframe[title="Preview of the embed"]');
    // At the step on stage, the embed's run is the share link's, exactly.
    await expect(preview).toHaveAttribute('src', link.replace('#', '?embed=1#'));
    await dialog.getByRole('textbox', { name: 'Start at step' }).fill('25');
    await dialog.getByRole('checkbox', { name: 'The inspector' }).check();
    await expect(preview).toHaveAttribute('src', /\?embed=1&panels=inspector#v1\.[A-Za-z0-9_-]+$/);
    const src = await preview.getAttribute('src');
    expect(src).not.toContain('scenario=');
    expect(src.startsWith(new URL('./', baseURL).href)).toBe(true);
    const snippet = await dialog.getByRole('textbox', { name: 'Embed code' }).inputValue();
    expect(errors).toEqual([]);

    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    const blog = await context.newPage();
    const blogErrors = watchErrors(blog);
    await pasteInHost(blog, snippet);
    expect(await blog.locator('iframe').getAttribute('src')).toBe(src);
    const frame = blog.frameLocator('iframe');
    await expect(frame.locator('.time-readout')).toHaveText(/^25 ·/);
    await expect(frame.getByRole('complementary', { name: 'Inspector' })).toBeVisible();
    await expect(frame.getByRole('region', { name: 'Narration' })).toBeHidden();
    // The cut made at step 20 is in the run.
    await expect(frame.getByRole('button', { name: 'Link A–C (cut)' })).toHaveCount(1);
    await expect(frame.getByRole('button', { name: 'Play' })).toBeVisible();
    expect(blogErrors).toEqual([]);
    await context.close();
  });

  test('the "Fit the column" snippet is valid script and believes only its own embed, and only a sane height', async ({ page, browser }) => {
    const errors = watchErrors(page);
    await page.goto('./');
    const dialog = await openShare(page);
    await dialog.getByRole('combobox', { name: 'Size' }).selectOption('fit');
    const preview = dialog.locator('iframe[title="Preview of the embed"]');
    // The preview is as wide as its box.
    await expect.poll(async () => (await preview.boundingBox()).width).toBeGreaterThan(500);
    const snippet = await dialog.getByRole('textbox', { name: 'Embed code' }).inputValue();
    const [, id] = snippet.match(/^<iframe id="(faultline-[0-9a-f]{8})" /);
    expect(snippet).toContain('width="100%" height="540" style="border:0;width:100%;display:block"');
    const script = snippet.match(/<script>([\s\S]*)<\/script>$/)[1];
    expect(() => new vm.Script(script), 'the script parses').not.toThrow();
    expect(errors).toEqual([]);

    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const blog = await context.newPage();
    const blogErrors = watchErrors(blog);
    // After the snippet: a stranger's frame that claims a height, and a recorder of the
    // iframe's height after each message (listeners run in order: the snippet's first).
    await pasteInHost(blog, snippet, `
<iframe id="stranger" title="Another widget" srcdoc="<p>Another widget</p>"></iframe>
<script>
  window.heights = [];
  window.addEventListener('message', (event) => {
    window.heights.push({ data: event.data, height: document.getElementById('${id}').style.height });
  });
</script>`);
    const frame = blog.frameLocator(`#${id}`);
    await expect(frame.locator('.time-readout')).toHaveText(/^0 ·/);
    const iframe = blog.locator(`#${id}`);
    expect((await iframe.boundingBox()).width).toBe(760);
    const seen = (marker) => blog.evaluate((marker) => window.heights.some((h) => h.data && h.data.marker === marker), marker);

    // Another window (a frame of the host's, and the host page itself) is not believed.
    await blog.evaluate(() => {
      const stranger = document.getElementById('stranger').contentWindow;
      stranger.eval(`parent.postMessage({ type: 'faultline:height', height: 3999 }, '*');
        parent.postMessage({ marker: 'stranger' }, '*');`);
      window.postMessage({ type: 'faultline:height', height: 3998 }, '*');
      window.postMessage({ marker: 'self' }, '*');
    });
    await expect.poll(() => seen('stranger')).toBe(true);
    await expect.poll(() => seen('self')).toBe(true);
    // Its own embed is not believed either when the height is not a sane number of pixels.
    const embed = blog.frames().find((f) => f.url().includes('embed=1'));
    await embed.evaluate(() => {
      for (const height of [NaN, Infinity, -5, 0, 119, 4001, 1e9, '3997', null]) {
        parent.postMessage({ type: 'faultline:height', height }, '*');
      }
      parent.postMessage(null, '*');
      parent.postMessage('faultline:height', '*');
      parent.postMessage({ type: 'faultline:other', height: 3996 }, '*');
      parent.postMessage({ marker: 'embed' }, '*');
    });
    await expect.poll(() => seen('embed')).toBe(true);
    const heights = await blog.evaluate(() => window.heights.map((h) => h.height));
    for (const bogus of ['3999px', '3998px', '3997px', '3996px', '4001px', '119px', '0px', '-5px', '1000000000px']) {
      expect(heights, `${bogus} was never set`).not.toContain(bogus);
    }
    // A sane height from its own embed is.
    await embed.evaluate(() => parent.postMessage({ type: 'faultline:height', height: 1234.4 }, '*'));
    await expect.poll(() => blog.evaluate(() => window.heights.some((h) => h.data && h.data.height === 1234.4 && h.height === '1234px'))).toBe(true);
    expect(blogErrors).toEqual([]);
    await context.close();
  });
});

for (const [name, width, height, touch] of [['phone', 390, 844, true], ['laptop', 1366, 768, false], ['desktop', 1920, 1080, false]]) {
  test(`every control of the builder can be reached and used at ${name} size (${width}×${height})`, async ({ browser }) => {
    const context = await browser.newContext({
      viewport: { width, height },
      ...(touch ? { hasTouch: true, isMobile: true, deviceScaleFactor: 3 } : {}),
    });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto('./');
    await expect(page.getByRole('heading', { name: 'Faultline', level: 1 })).toBeAttached();
    const dialog = await openShare(page);
    await page.screenshot({ path: `${screenshots}/embed-builder-${width}x${height}-top.png` });
    const controls = [
      dialog.getByRole('combobox', { name: 'Size' }),
      dialog.getByRole('combobox', { name: 'Theme' }),
      dialog.getByRole('combobox', { name: 'Speed when playing' }),
      dialog.getByRole('textbox', { name: 'Start at step' }),
      dialog.getByRole('checkbox', { name: 'Play on opening' }),
      dialog.getByRole('checkbox', { name: 'The narration' }),
      dialog.getByRole('checkbox', { name: 'The inspector' }),
      dialog.getByRole('textbox', { name: 'Title, read out by screen readers' }),
      dialog.getByRole('textbox', { name: 'Embed code' }),
      dialog.getByRole('button', { name: 'Copy embed code' }),
      dialog.getByRole('button', { name: 'Copy link' }),
      dialog.getByRole('button', { name: 'Close' }),
    ];
    for (const control of controls) {
      await control.scrollIntoViewIfNeeded();
      await expect(control).toBeVisible();
      await expect(control).toBeInViewport();
      await control.click({ trial: true });
      if (touch) {
        // What is touched is at least 44 px tall: a checkbox's whole label is its target.
        const target = (await control.getAttribute('type')) === 'checkbox' ? control.locator('xpath=..') : control;
        expect((await target.boundingBox()).height, await control.evaluate((e) => e.outerHTML.slice(0, 80))).toBeGreaterThanOrEqual(44);
      }
    }
    // Nothing sticks out sideways, and the preview fits the dialog.
    const preview = await dialog.locator('.embed-preview').boundingBox();
    const box = await dialog.boundingBox();
    expect(preview.x + preview.width).toBeLessThanOrEqual(box.x + box.width + 0.5);
    expect(await dialog.evaluate((d) => d.scrollWidth - d.clientWidth)).toBe(0);
    // Keyboard: Tab reaches the fields in order, and a box is ticked with Space.
    await dialog.getByRole('combobox', { name: 'Size' }).focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
    await expect(dialog.getByRole('checkbox', { name: 'Play on opening' })).toBeFocused();
    await page.keyboard.press('Space');
    await expect(dialog.getByRole('checkbox', { name: 'Play on opening' })).toBeChecked();
    await expect(dialog.locator('iframe[title="Preview of the embed"]')).toHaveAttribute('src', /autoplay=1/);
    await dialog.getByRole('region', { name: 'Put it in a blog post or slides' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${screenshots}/embed-builder-${width}x${height}.png` });
    await dialog.getByRole('textbox', { name: 'Embed code' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${screenshots}/embed-builder-${width}x${height}-code.png` });
    expect(errors).toEqual([]);
    await context.close();
  });
}

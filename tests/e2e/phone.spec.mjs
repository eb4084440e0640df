// Phones and narrow embeds, emulated as a phone is (touch, mobile viewport, 3× pixels): one view
// at a time behind a view switch, a compact control bar with the rest under "More", no
// horizontal scrolling, touch targets of at least 44 px, text of at least 14 px; the choice of
// view is kept; a narrow embed shows the timeline with a switch to the topology.
import { test, expect } from '@playwright/test';
import { screenshots, watchErrors } from './helpers.mjs';

const phones = [
  [360, 640],
  [390, 844],
  [412, 915],
  [640, 360],
];

async function phone(browser, [width, height]) {
  const context = await browser.newContext({
    viewport: { width, height },
    deviceScaleFactor: 3,
    hasTouch: true,
    isMobile: true,
  });
  return { context, page: await context.newPage() };
}

/** The element's box must be at least 44×44 CSS px. */
async function bigEnough(locator, what) {
  const box = await locator.boundingBox();
  expect(box, `${what} is on screen`).not.toBeNull();
  expect(Math.round(box.width), `${what} is wide enough to tap`).toBeGreaterThanOrEqual(44);
  expect(Math.round(box.height), `${what} is tall enough to tap`).toBeGreaterThanOrEqual(44);
}

async function noSideways(page) {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll, 'no horizontal scrolling').toBeLessThanOrEqual(client);
}

for (const size of phones) {
  test(`a phone at ${size.join('×')}: one view at a time, every control in reach`, async ({ browser }) => {
    const { context, page } = await phone(browser, size);
    const errors = watchErrors(page);
    await page.goto('./');
    await noSideways(page);
    const views = page.getByRole('navigation', { name: 'Views' }).getByRole('button');
    await expect(views).toHaveText(['Topology', 'Timeline', 'Story', 'Inspector']);
    for (const name of ['Play', 'Step', 'Back', 'Restart', 'More']) {
      await bigEnough(page.getByRole('button', { name, exact: true }), name);
    }
    await bigEnough(views.first(), 'the view switch');
    // No text on the page is smaller than 14 px.
    const smallest = () => page.evaluate(() => {
      let least = Infinity;
      for (const element of document.querySelectorAll('body *')) {
        const own = [...element.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
        if (!own || !element.getClientRects().length || element.closest('.visually-hidden, .region-title')) continue;
        least = Math.min(least, parseFloat(getComputedStyle(element).fontSize));
      }
      return least;
    });
    expect(await smallest(), 'the smallest text').toBeGreaterThanOrEqual(14);
    // Each view fills the workspace alone.
    const regions = { Topology: '.topology', Timeline: '.timeline', Story: '.narration', Inspector: '.inspector' };
    for (const [name, selector] of Object.entries(regions)) {
      await views.filter({ hasText: name }).tap();
      await expect(views.filter({ hasText: name })).toHaveAttribute('aria-pressed', 'true');
      for (const [other, hidden] of Object.entries(regions)) {
        if (other === name) await expect(page.locator(hidden)).toBeVisible();
        else await expect(page.locator(hidden)).toBeHidden();
      }
      await noSideways(page);
    }
    // The settings fold behind More.
    await expect(page.getByRole('button', { name: 'Share' })).toBeHidden();
    await page.getByRole('button', { name: 'More' }).tap();
    await expect(page.getByRole('button', { name: 'More' })).toHaveAttribute('aria-expanded', 'true');
    await bigEnough(page.getByRole('button', { name: 'Share' }), 'Share');
    await expect(page.getByRole('checkbox', { name: /Fix/ })).toBeVisible();
    expect(await smallest(), 'the smallest text, settings open').toBeGreaterThanOrEqual(14);
    await noSideways(page);
    await page.screenshot({ path: `${screenshots}/phone-${size.join('x')}-more.png` });
    await page.getByRole('button', { name: 'More' }).tap();
    // Play a preset by finger, on the timeline.
    await views.filter({ hasText: 'Timeline' }).tap();
    await page.getByRole('button', { name: 'Step', exact: true }).tap();
    await page.getByRole('button', { name: 'Step', exact: true }).tap();
    await expect(page.locator('.time-readout')).not.toHaveText(/^0 ·/);
    // The picture gets the room: the canvas keeps most of the screen's height.
    const canvas = await page.locator('.timeline-canvas').boundingBox();
    expect(canvas.height, 'the timeline keeps room to draw').toBeGreaterThanOrEqual(size[1] * (size[1] < size[0] ? 0.3 : 0.4));
    expect(canvas.width).toBeGreaterThanOrEqual(size[0] * 0.85);
    await page.screenshot({ path: `${screenshots}/phone-${size.join('x')}.png` });
    expect(errors).toEqual([]);
    await context.close();
  });
}

test('on a phone, a fingertip breaks the cluster: a tap cuts a link, a tap on a node pauses it', async ({ browser }) => {
  const { context, page } = await phone(browser, [390, 844]);
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('sandbox');
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Topology' }).tap();
  /** Where a screen-reader twin sits over the topology: the link's midpoint, the node's centre. */
  const centre = async (name) => {
    const box = await page.getByRole('button', { name }).boundingBox();
    return [box.x + box.width / 2, box.y + box.height / 2];
  };
  // A fingertip lands beside the line, not on it: it still reaches the link.
  const [lx, ly] = await centre('Link A–B (up)');
  await page.touchscreen.tap(lx + 12, ly + 9);
  await expect(page.getByRole('button', { name: 'Link A–B (cut)' })).toHaveCount(1);
  const [nx, ny] = await centre('Node C (running)');
  await page.touchscreen.tap(nx + 14, ny);
  await page.getByRole('dialog', { name: /C/ }).getByRole('button', { name: 'Pause (GC)' }).tap();
  await expect(page.getByRole('button', { name: 'Node C (paused)' })).toHaveCount(1);
  await page.screenshot({ path: `${screenshots}/phone-topology-taps.png` });
  expect(errors).toEqual([]);
  await context.close();
});

test('the view a phone shows is kept for the next visit', async ({ browser }) => {
  const { context, page } = await phone(browser, [390, 844]);
  await page.goto('./');
  const story = page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Story' });
  await story.tap();
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Story' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.narration')).toBeVisible();
  await expect(page.locator('.timeline')).toBeHidden();
  await context.close();
});

for (const size of [[320, 400], [360, 480]]) {
  test(`an embed at ${size.join('×')}: the timeline, a switch to the topology, no scrollbars, playable`, async ({ browser }) => {
    const { context, page } = await phone(browser, size);
    const errors = watchErrors(page);
    await page.goto('./?embed=1&scenario=split-brain');
    const views = page.getByRole('navigation', { name: 'Views' }).getByRole('button');
    await expect(views).toHaveText(['Topology', 'Timeline']);
    await expect(page.locator('.timeline-canvas')).toBeVisible();
    await expect(page.locator('.topology-canvas')).toBeHidden();
    expect((await page.locator('.timeline-canvas').boundingBox()).height, 'the timeline keeps room to draw').toBeGreaterThanOrEqual(size[1] * 0.4);
    const sizes = await page.evaluate(() => {
      const root = document.documentElement;
      return [root.scrollWidth, root.clientWidth, root.scrollHeight, root.clientHeight];
    });
    expect(sizes[0], 'no horizontal scrollbar').toBeLessThanOrEqual(sizes[1]);
    expect(sizes[2], 'no vertical scrollbar').toBeLessThanOrEqual(sizes[3]);
    await page.getByRole('button', { name: 'Play' }).tap();
    await expect(page.locator('.time-readout')).not.toHaveText(/^0 ·/);
    await page.getByRole('button', { name: 'Pause' }).tap();
    await views.filter({ hasText: 'Topology' }).tap();
    await expect(page.locator('.topology-canvas')).toBeVisible();
    await expect(page.locator('.timeline-canvas')).toBeHidden();
    await page.screenshot({ path: `${screenshots}/embed-${size.join('x')}.png` });
    expect(errors).toEqual([]);
    await context.close();
  });
}

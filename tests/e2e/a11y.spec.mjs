// Accessibility audits with axe-core (WCAG 2 A and AA rules and axe's best practices): the full
// app at desktop and phone size, with a run under way and its dialogs open, and the embed in
// every layout. Any violation fails the test and is listed with the elements it concerns.
// Then the embed from the keyboard: its skip link, its tab stops, its panels scrolling.
import { createRequire } from 'node:module';
import { test, expect } from '@playwright/test';
import { screenshots, watchErrors } from './helpers.mjs';

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Runs axe on the page (or frame) as it stands; returns its violations in a readable form. */
async function violations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ path: axeSource });
  }
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  return found;
}

for (const [name, width, height] of [['desktop', 1280, 720], ['phone', 390, 844]]) {
  test(`the app has no axe violations at ${name} size`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto('./');
    await expect(page.getByRole('heading', { name: 'Faultline', level: 1 })).toBeAttached();
    expect(await violations(page), 'on opening').toEqual([]);

    // A run under way, a node's menu, the share dialog and the help overlay.
    for (let i = 0; i < 30; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
    expect(await violations(page), 'after stepping').toEqual([]);
    // A phone shows one view at a time, and folds the settings behind More.
    const views = page.getByRole('navigation', { name: 'Views' });
    if (await views.isVisible()) await views.getByRole('button', { name: 'Topology' }).click();
    await page.getByRole('button', { name: /^Node C / }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: 'Node C' })).toBeVisible();
    expect(await violations(page), 'with a node menu open').toEqual([]);
    await page.keyboard.press('Escape');
    const more = page.getByRole('button', { name: 'More' });
    if (await more.isVisible()) await more.click();
    await page.getByRole('button', { name: 'Share' }).click();
    await expect(page.getByRole('textbox', { name: 'Link to this run' })).toBeVisible();
    expect(await violations(page), 'with the share dialog open').toEqual([]);
    await page.keyboard.press('Escape');
    await page.keyboard.press('?');
    expect(await violations(page), 'with the help open').toEqual([]);
    await page.screenshot({ path: `${screenshots}/a11y-${name}.png` });
    // The hunt panel, its fault kinds unfolded, once a hunt has found a failure.
    await page.keyboard.press('Escape');
    if (await more.isVisible() && (await more.getAttribute('aria-expanded')) !== 'true') await more.click();
    await page.getByRole('button', { name: 'Hunt for failures' }).click();
    const hunt = page.getByRole('region', { name: 'Hunt for failures' });
    await hunt.locator('summary').click();
    await hunt.getByRole('button', { name: 'Find a failure' }).click();
    await expect(hunt.locator('.hunt-summary')).toContainText('split brain after', { timeout: 30_000 });
    expect(await violations(page), 'with the hunt panel open').toEqual([]);
    await page.screenshot({ path: `${screenshots}/a11y-${name}-hunt.png` });
    expect(errors).toEqual([]);
    await context.close();
  });
}

test('the embed has no axe violations, a level-one heading, and a readable notice', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 640, height: 400 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('./?embed=1&scenario=gc-pause-fencing&step=12');
  await expect(page.locator('.time-readout')).toHaveText(/^12 ·/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  expect(await violations(page), 'a plain embed').toEqual([]);
  // A misconfigured embed shows its notice over the canvases: audited too.
  await page.goto('./?embed=1&scenario=splitbrain');
  await expect(page.locator('.embed-notice')).toBeVisible();
  expect(await violations(page), 'an embed with a notice').toEqual([]);
  await page.screenshot({ path: `${screenshots}/embed-notice.png` });
  expect(errors).toEqual([]);
  await context.close();
});

/** A host page (a blog post) with a button before and after an iframe of the embed at
 * `?embed=1&<query>`, `width`×`height`; returns the embed's frame once its run is on stage. */
async function hostPage(page, baseURL, query, [width, height] = [960, 540]) {
  await page.setViewportSize({ width: width + 40, height: height + 140 });
  await page.setContent(`<!doctype html><html lang="en"><head><title>A blog post</title></head>
    <body><main><h1>A blog post</h1><p><button id="before">Before the embed</button></p>
    <iframe id="embed" src="${baseURL}?embed=1&${query}" width="${width}" height="${height}"
      style="border:0" title="Faultline: split brain"></iframe>
    <p><button id="after">After the embed</button></p></main></body></html>`);
  const frame = page.frame({ url: /embed=1/ });
  await expect(frame.locator('.time-readout')).toHaveText(/^\d+ ·/);
  return frame;
}

/** What has focus: the host page's element, or inside the embed, the frame's. */
async function focused(page, frame) {
  if (await page.evaluate(() => document.activeElement?.id !== 'embed')) {
    return { host: await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName) };
  }
  return frame.evaluate(() => {
    const e = document.activeElement;
    const box = e.getBoundingClientRect();
    return {
      what: `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ${e.getAttribute('aria-label') || e.textContent.trim().slice(0, 30)}`,
      visible: box.width >= 8 && box.height >= 8 && e.checkVisibility({ visibilityProperty: true }),
    };
  });
}

/** Tabs from the button before the embed to the one after it; returns the stops inside. */
async function tabStops(page, frame) {
  await page.locator('#before').focus();
  const stops = [];
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page, frame);
    if (now.host) {
      expect(now.host, 'after the embed comes the host page’s next button').toBe('after');
      return stops;
    }
    stops.push(now);
  }
  throw new Error('Tab never left the embed');
}

// Every layout an embed can take: each passes axe, and its text panels take focus to scroll.
const layouts = [
  ['plain', 'scenario=split-brain', [960, 540]],
  ['narration', 'scenario=split-brain&panels=narration&step=300', [960, 540]],
  ['inspector', 'scenario=split-brain&panels=inspector&step=300', [720, 480]],
  ['both panels', 'scenario=split-brain&panels=narration,inspector&step=300', [640, 400]],
  ['narrow', 'scenario=split-brain&panels=narration,inspector&step=300', [360, 480]],
  ['dark', 'scenario=split-brain&panels=narration,inspector&theme=dark&step=300', [960, 540]],
  ['notice', 'scenario=splitbrain', [640, 400]],
];
for (const [name, query, size] of layouts) {
  test(`an embed (${name}, ${size.join('×')}) has no axe violations and its panels scroll from the keyboard`, async ({ page, baseURL }) => {
    const errors = watchErrors(page);
    const frame = await hostPage(page, baseURL, query, size);
    if (name === 'notice') await expect(frame.locator('.embed-notice')).toBeVisible();
    expect(await violations(frame), name).toEqual([]);
    // A narrow embed shows one view at a time: each of its panels in turn.
    const views = frame.getByRole('navigation', { name: 'Views' });
    const narrow = await views.isVisible();
    for (const panel of ['Narration', 'Inspector'].filter((p) => query.includes(p.toLowerCase()))) {
      if (narrow) await views.getByRole('button', { name: panel === 'Narration' ? 'Story' : 'Inspector' }).click();
      const region = frame.getByRole(panel === 'Narration' ? 'region' : 'complementary', { name: panel });
      await expect(region).toBeVisible();
      await expect(region).toHaveAttribute('tabindex', '0');
      // Room for a few lines of text, the rest a scroll away.
      expect((await region.boundingBox()).height, `${panel} height`).toBeGreaterThan(100);
      expect(await region.evaluate((e) => getComputedStyle(e).overflowY)).toBe('auto');
    }
    // Its skip link, focused (drawn over the embed), passes too.
    await page.locator('#before').focus();
    await page.keyboard.press('Tab');
    await expect(frame.getByRole('link', { name: 'Skip past this simulation' })).toBeFocused();
    expect(await violations(frame), `${name}, the skip link focused`).toEqual([]);
    await page.screenshot({ path: `${screenshots}/a11y-embed-${name.replace(' ', '-')}.png` });
    expect(errors).toEqual([]);
  });
}

test('an embed played to its end in a host page has no axe violations, its findings listed', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  const frame = await hostPage(page, baseURL, 'scenario=split-brain&panels=narration,inspector');
  // An embed has no speed control: the host page asks for speed (the postMessage API).
  await page.evaluate(() => document.getElementById('embed').contentWindow.postMessage({ type: 'faultline:play', speed: 20_000 }, '*'));
  await expect(frame.getByRole('button', { name: 'Play' })).toBeDisabled({ timeout: 20_000 });
  await expect(frame.locator('.finding-link').first()).toBeVisible();
  expect(await violations(frame), 'played to the end').toEqual([]);
  expect(await violations(page), 'the host page').toEqual([]);
  // The findings are one stop for Tab; the arrows walk them.
  const findings = frame.locator('.finding-link');
  expect(await findings.count()).toBeGreaterThan(1);
  await findings.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(findings.nth(1)).toBeFocused();
  await expect(findings.nth(1)).toHaveAttribute('tabindex', '0');
  await expect(findings.first()).toHaveAttribute('tabindex', '-1');
  await page.screenshot({ path: `${screenshots}/a11y-embed-ended.png` });
  expect(errors).toEqual([]);
});

test('the skip link takes a keyboard past the embed in one stop', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  const frame = await hostPage(page, baseURL, 'scenario=split-brain&panels=narration,inspector');
  await page.locator('#before').focus();
  await page.keyboard.press('Tab');
  const skip = frame.getByRole('link', { name: 'Skip past this simulation' });
  await expect(skip).toBeFocused();
  // Out of sight until focused, then in plain view.
  expect((await skip.boundingBox()).width).toBeGreaterThan(100);
  await page.screenshot({ path: `${screenshots}/a11y-embed-skip-link.png` });
  await page.keyboard.press('Enter');
  const end = frame.locator('#simulation-end');
  await expect(end).toBeFocused();
  await expect(end).toHaveText(/End of the simulation/);
  expect((await end.boundingBox()).width).toBeGreaterThan(100);
  expect(await frame.evaluate(() => location.hash), 'the address is left alone').toBe('');
  await page.keyboard.press('Tab');
  await expect(page.locator('#after')).toBeFocused();
  // And once past it, the skip link is out of sight again.
  expect((await skip.boundingBox()).width).toBeLessThan(2);
  expect(errors).toEqual([]);
});

// Before the skip link and the roving groups, a 960×540 split-brain embed cost 35 stops (44 with
// both panels): every node and link of the topology, every message kind and message in flight.
// Now 13 (17), and one more for "Open in Faultline", the link to the full app every embed has.
for (const [query, most] of [
  ['scenario=split-brain', 14],
  ['scenario=split-brain&panels=narration,inspector', 18],
]) {
  test(`passing an embed costs at most ${most} tab stops, each in sight (${query})`, async ({ page, baseURL }) => {
    const errors = watchErrors(page);
    const frame = await hostPage(page, baseURL, query);
    const stops = await tabStops(page, frame);
    expect(stops[0].what).toMatch(/^a\.skip-link /);
    expect(stops.length, stops.map((s) => s.what).join('\n')).toBeLessThanOrEqual(most);
    expect(stops.filter((s) => !s.visible), 'focusable but out of sight').toEqual([]);
    // The nodes and links are one stop; the arrows walk them (N goes there too).
    const twins = stops.filter((s) => s.what.includes('twin'));
    expect(twins).toHaveLength(1);
    await frame.locator('.node-twin').first().focus();
    await page.keyboard.press('ArrowRight');
    await expect(frame.getByRole('button', { name: /^Node B / })).toBeFocused();
    await page.keyboard.press('End');
    await expect(frame.getByRole('button', { name: /^Link D–E / })).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(frame.getByRole('button', { name: /^Node A / })).toBeFocused();
    // Every control is still a Tab away: Shift+Tab from the end comes back to the one left.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    await expect(frame.getByRole('button', { name: /^Node A / })).toBeFocused();
    expect(errors).toEqual([]);
  });
}

test('the narration and inspector scroll from the keyboard', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  const frame = await hostPage(page, baseURL, 'scenario=split-brain&panels=narration,inspector&step=400', [640, 400]);
  const stops = await tabStops(page, frame);
  for (const [name, role] of [['Narration', 'region'], ['Inspector', 'complementary']]) {
    const panel = frame.getByRole(role, { name });
    expect(await panel.evaluate((p) => p.scrollHeight > p.clientHeight + 50), `${name} overflows`).toBe(true);
    // Reached with Tab from the host page.
    await page.locator('#before').focus();
    const at = stops.findIndex((s) => s.what.startsWith(`${role === 'region' ? 'section' : 'aside'}.`));
    expect(at, `${name} is a tab stop`).toBeGreaterThan(0);
    for (let i = 0; i <= at; i++) await page.keyboard.press('Tab');
    await expect(panel).toBeFocused();
    // Each key's scroll (smooth, so in steps) is read once it has ended.
    const scrolled = async (key) => {
      await panel.evaluate((p) => {
        p.scrolled = new Promise((done) => p.addEventListener('scrollend', done, { once: true }));
      });
      await page.keyboard.press(key);
      return panel.evaluate(async (p) => {
        // (A key that scrolls nothing fails below, after 3 s.)
        await Promise.race([p.scrolled, new Promise((done) => setTimeout(done, 3000))]);
        return p.scrollTop;
      });
    };
    if (await panel.evaluate((p) => p.scrollTop > 0)) expect(await scrolled('Home')).toBe(0);
    const paged = await scrolled('PageDown');
    expect(paged, `${name}: Page Down`).toBeGreaterThan(0);
    expect(await scrolled('ArrowDown'), `${name}: arrow down`).toBeGreaterThan(paged);
    await scrolled('End');
    expect(await panel.evaluate((p) => p.scrollHeight - p.scrollTop - p.clientHeight)).toBeLessThan(2);
    await page.screenshot({ path: `${screenshots}/a11y-embed-${name.toLowerCase()}-scrolled.png` });
  }
  expect(errors).toEqual([]);
});

// The diagram tells the story by itself: every preset opened fresh and moved to its key moment
// shows labelled, slanted arrows in its default view (read from the SVG export of that view,
// and a screenshot per preset); hiding a kind of message and the causal-chain view change what
// is drawn and what hover finds; the sixteen-node minute at "Fit all" is an overview, not a
// block; and no text on the page is in Rust syntax.
import { test, expect } from '@playwright/test';
import { screenshots, watchErrors, runToEnd, exportSvg, readSvg } from './helpers.mjs';

test.use({ viewport: { width: 1600, height: 1000 } });

// Every preset: played to its end, a run is left on its first view (`Scenario::first_frame`),
// the story around its key moment.
const PRESETS = [
  'split-brain', 'majority-truth', 'seat-12a', 'lww-clock-skew', 'slow-clock-lease',
  'gc-pause-fencing', 'reordered-writes', 'timeouts', 'wall-clock-log', 'retry-double-charge',
  'ntp-step-back', 'truetime-commit-wait', 'byzantine-generals', 'lost-update', 'sandbox',
];

// What the labels of a preset's key moment must say, as the book's figures do.
const KEY_LABELS = {
  'gc-pause-fencing': ['write 1, token 33', 'write accepted: 1 from Client C, token 33'],
  'lww-clock-skew': ['x = 1', 'x = 2', '42.004', '42.003'],
  'seat-12a': ['12A', 'Alice', 'Bob'],
  'reordered-writes': ['set x = 1', 'set x = 2', 'set x = 3', 'x = 2 (from Client B)'],
};

/** The SVG export of the view as drawn. */
/** Rust syntax or a developer's name for something, in text people read. */
function rustSyntax(text) {
  for (const bad of ['{', '}', 'Some(', 'None', '::']) if (text.includes(bad)) return bad;
  // A CamelCase word (a variant name), but not the names of tools people know.
  const known = new Set(['ShiViz', 'TrueTime', 'GitHub', 'JavaScript', 'PostMessage']);
  const camel = text.match(/\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b/g) || [];
  return camel.find((word) => !known.has(word)) || null;
}

test('every preset opened fresh and played shows its key moment as labelled, slanted arrows', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  for (const id of PRESETS) {
    await page.goto('./');
    // Played to its end, a run is left showing its story around the key moment.
    await runToEnd(page, id);
    await page.waitForTimeout(150);
    await page.getByRole('region', { name: 'Timeline' }).screenshot({ path: `${screenshots}/story-${id}.png` });
    const svg = await exportSvg(page);
    const { labels, slants } = readSvg(svg);
    expect(labels.length, `${id}: labels at its key moment ${JSON.stringify(labels)}`).toBeGreaterThanOrEqual(3);
    for (const want of KEY_LABELS[id] || []) {
      expect(labels.some((l) => l.includes(want)), `${id}: a label says "${want}" (${JSON.stringify(labels)})`).toBe(true);
    }
    // Latency takes real height: the typical message arrow is visibly slanted.
    if (slants.length > 0) {
      const median = [...slants].sort((a, b) => a - b)[Math.floor(slants.length / 2)];
      expect(median, `${id}: a message's arrow is ${median} px tall`).toBeGreaterThanOrEqual(8);
    }
  }
  expect(errors).toEqual([]);
});

test('hiding heartbeats and the causal chain change what is drawn and what hover finds', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await page.goto('./');
  await runToEnd(page, 'split-brain');
  await page.waitForTimeout(150);
  // Heartbeats start faint (the preset quiets them); find one under the pointer.
  const chip = page.getByRole('button', { name: /^heartbeat · / });
  await expect(chip).toHaveAttribute('aria-label', /faint/);
  const canvas = page.locator('.timeline-canvas');
  const box = await canvas.boundingBox();
  let heartbeat = null;
  for (let column = 0; column < 5 && !heartbeat; column++) {
    const x = box.x + (box.width / 5) * (column + 0.5);
    for (let y = box.y + 45; y < box.y + box.height - 10 && !heartbeat; y += 3) {
      await page.mouse.move(x, y);
      const card = page.locator('.hover-card');
      if ((await card.count()) && /heartbeat, term/.test(await card.innerText())) heartbeat = { x, y };
    }
  }
  expect(heartbeat, 'a heartbeat event under the pointer').not.toBeNull();
  const before = readSvg(await exportSvg(page));
  // Press until heartbeats are hidden.
  await chip.click();
  await expect(chip).toHaveAttribute('aria-label', /hidden/);
  await page.waitForTimeout(150);
  const hidden = readSvg(await exportSvg(page));
  expect(hidden.events, 'hidden heartbeats are not drawn').toBeLessThan(before.events);
  expect(hidden.labels.some((l) => /^heartbeat,/.test(l)), 'no heartbeat labels').toBe(false);
  await page.mouse.move(heartbeat.x, heartbeat.y);
  await page.waitForTimeout(100);
  const card = page.locator('.hover-card');
  if (await card.count()) expect(await card.innerText()).not.toMatch(/heartbeat, term/);
  await page.getByRole('region', { name: 'Timeline' }).screenshot({ path: `${screenshots}/story-heartbeats-hidden.png` });

  // Select an event, then keep only its causal chain.
  let selected = false;
  for (let y = box.y + box.height / 2; y < box.y + box.height - 10 && !selected; y += 3) {
    await page.mouse.move(box.x + box.width / 10, y);
    if (await card.count()) {
      await page.mouse.click(box.x + box.width / 10, y);
      selected = true;
    }
  }
  expect(selected, 'an event on A was selected').toBe(true);
  const all = readSvg(await exportSvg(page));
  await page.getByRole('checkbox', { name: 'Causal chain only' }).check();
  await page.waitForTimeout(150);
  const chainSvg = await exportSvg(page);
  const chain = readSvg(chainSvg);
  expect(chain.events, 'the causal chain draws fewer events').toBeLessThan(all.events);
  expect(chainSvg, 'no concurrent event is drawn').not.toMatch(/<circle class="[^"]*concurrent/);
  await page.getByRole('region', { name: 'Timeline' }).screenshot({ path: `${screenshots}/story-causal-chain.png` });
  expect(errors).toEqual([]);
});

test('the sixteen-node minute at "Fit all" is an overview, and zooming in brings arrows back', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('sandbox');
  await page.getByRole('button', { name: 'Cluster…' }).click();
  const editor = page.getByRole('dialog', { name: 'Customise the cluster' });
  await editor.getByRole('textbox', { name: 'Nodes' }).fill('16');
  await editor.getByRole('textbox', { name: 'Run length' }).fill('60');
  await editor.getByRole('button', { name: 'Run on this cluster' }).click();
  await expect(page.locator('.node-twin')).toHaveCount(16);
  await page.locator('.speed input').fill('11');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Fit all' }).click();
  await page.waitForTimeout(200);
  const overview = await exportSvg(page);
  expect((overview.match(/class="density/g) || []).length, 'density bars').toBeGreaterThan(100);
  expect((overview.match(/class="arrow/g) || []).length, 'no arrows at this scale').toBe(0);
  await page.screenshot({ path: `${screenshots}/story-sixteen-node-overview.png` });
  for (let i = 0; i < 12; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
  await page.waitForTimeout(200);
  const close = await exportSvg(page);
  expect((close.match(/class="arrow/g) || []).length, 'arrows again, zoomed in').toBeGreaterThan(0);
  expect(close).not.toContain('class="density');
  expect(errors).toEqual([]);
});

test('no text on the page is in Rust syntax, in any preset with an event and a node inspected', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  await page.goto('./');
  const ids = await page.locator('.scenario-picker option').evaluateAll((options) => options.map((o) => o.value));
  expect(ids.length).toBeGreaterThanOrEqual(15);
  for (const id of ids) {
    await runToEnd(page, id);
    // Inspect the first node (its state table) and an event (its description).
    await page.locator('.node-twin').first().focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    const canvas = page.locator('.timeline-canvas');
    await canvas.focus();
    await page.keyboard.press('ArrowRight');
    const text = await page.locator('body').innerText();
    const bad = text.split('\n').map((line) => [line, rustSyntax(line)]).filter(([, problem]) => problem);
    expect(bad, `${id}: lines in Rust syntax`).toEqual([]);
  }
  expect(errors).toEqual([]);
});

test('the message filter offers only the kinds a story sends', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  const chips = page.getByRole('group', { name: 'Which messages the timeline shows' }).locator('.kind-chip');
  // The client-server model knows eleven kinds; the retry storm sends two of them.
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('retry-storm');
  await expect(chips).toHaveText(['request', 'answer']);
  // The same model's double charge sends two others.
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('retry-double-charge');
  await expect(chips).toHaveText(['charge', 'charged']);
  // A quieted kind is offered even before it is sent, so it can be shown again.
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('clock-from-the-future');
  await expect(chips).toHaveText(['replicate', 'anti-entropy sync · faint']);
  await page.getByRole('checkbox', { name: /Fix/ }).check();
  await expect(chips).toHaveText(['replicate', 'anti-entropy sync · faint', 'what time is it?', 'the time']);
  expect(errors).toEqual([]);
});

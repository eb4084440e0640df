// The diagram tells the story by itself: every preset opened fresh and moved to its key moment
// shows labelled, slanted arrows in its default view (read from the SVG export of that view,
// and a screenshot per preset); hiding a kind of message and the causal-chain view change what
// is drawn and what hover finds; the sixteen-node minute at "Fit all" is an overview, not a
// block; and no text on the page is in Rust syntax.
import { test, expect } from '@playwright/test';
import { screenshots, watchErrors, runToEnd, exportSvg, readSvg } from './helpers.mjs';

test.use({ viewport: { width: 1600, height: 1000 } });

// Every preset: while it runs the view follows at its first frame's scale
// (`Scenario::first_frame`), where latency takes real height; played to its end, a run is left
// on its story frame (`ui::stage::Stage::story_camera`): the whole story, idle stretches folded.
const PRESETS = [
  'split-brain', 'majority-truth', 'seat-12a', 'lww-clock-skew', 'slow-clock-lease',
  'gc-pause-fencing', 'reordered-writes', 'timeouts', 'wall-clock-log', 'retry-double-charge',
  'ntp-step-back', 'truetime-commit-wait', 'byzantine-generals', 'lost-update', 'sandbox',
];

// What the labels of a preset's story must say, as the book's figures do: for gc-pause-fencing,
// lease 33 to C, the pause, lease 34 to D, D's write and C's stale write, in one view.
const KEY_LABELS = {
  'gc-pause-fencing': ['lease granted, token 33', 'Client C paused (GC), 15 s', 'lease granted, token 34',
    'write accepted: 2 from Client D, token 34', 'write accepted: 1 from Client C, token 33'],
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
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption(id);
    await page.evaluate(() => document.activeElement.blur());
    // Forty steps in, the view follows the run at the scale of its first frame: latency takes
    // real height, so the typical message arrow is visibly slanted.
    for (let i = 0; i < 40; i++) await page.keyboard.press('.');
    const { slants } = readSvg(await exportSvg(page));
    if (slants.length > 0) {
      const median = [...slants].sort((a, b) => a - b)[Math.floor(slants.length / 2)];
      expect(median, `${id}: a message's arrow is ${median} px tall`).toBeGreaterThanOrEqual(8);
    }
    // Played to its end, a run is left showing its whole story.
    const play = page.getByRole('button', { name: 'Play' });
    if (await play.isEnabled()) {
      await page.locator('.speed input').fill('11');
      await play.click();
      await expect(play).toBeDisabled({ timeout: 20_000 });
    }
    await page.waitForTimeout(150);
    await page.getByRole('region', { name: 'Timeline' }).screenshot({ path: `${screenshots}/story-${id}.png` });
    const svg = await exportSvg(page);
    const { labels } = readSvg(svg);
    expect(labels.length, `${id}: labels in its story ${JSON.stringify(labels)}`).toBeGreaterThanOrEqual(3);
    for (const want of KEY_LABELS[id] || []) {
      expect(labels.some((l) => l.includes(want)), `${id}: a label says "${want}" (${JSON.stringify(labels)})`).toBe(true);
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
  // The picker is filled when the app starts: wait for it, not for a time.
  await expect(page.locator('.scenario-picker option')).not.toHaveCount(0);
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

test('the end of a run folds its idle stretches into labelled breaks, and a click opens one', async ({ page }) => {
  test.setTimeout(60_000);
  const errors = watchErrors(page);
  await page.goto('./');
  await runToEnd(page, 'gc-pause-fencing');
  const folds = (svg) => [...svg.matchAll(/<rect class="fold" x="0" y="([^"]*)" width="[^"]*" height="([^"]*)"/g)]
    .map((m) => ({ y: Number(m[1]), height: Number(m[2]) }));
  const svg = await exportSvg(page);
  const { labels } = readSvg(svg);
  // Lease 33 to C, C's pause, lease 34 to D, D's write and C's stale write, in one view, with
  // D's refused requests folded.
  for (const want of ['lease granted, token 33', 'Client C paused (GC), 15 s', 'lease granted to Client D, token 34',
    'write accepted: 2 from Client D, token 34', 'write accepted: 1 from Client C, token 33']) {
    expect(labels.some((l) => l.includes(want)), `"${want}" in ${JSON.stringify(labels)}`).toBe(true);
  }
  expect(labels.some((l) => /Client D: lock request ×\d+; Lock service \(A\): lock busy ×\d+/.test(l)), JSON.stringify(labels)).toBe(true);
  const before = folds(svg);
  expect(before.length).toBeGreaterThanOrEqual(2);
  await page.getByRole('region', { name: 'Timeline' }).screenshot({ path: `${screenshots}/story-frame-folded.png` });
  // A click on the first fold opens it: D's requests are drawn one by one, and what was above
  // the fold stays where it was (the folds after it move down, out of view).
  // The fold that hides messages is the taller one (a stretch with none is a thin break).
  const busy = before.reduce((a, b) => (b.height > a.height ? b : a));
  expect(busy.height).toBeGreaterThan(Math.min(...before.map((f) => f.height)));
  const canvas = page.locator('.timeline-canvas');
  const box = await canvas.boundingBox();
  await canvas.click({ position: { x: box.width * 0.3, y: busy.y + busy.height / 2 } });
  const busyLabels = (list) => list.filter((l) => l === 'lock busy').length;
  await expect.poll(async () => busyLabels(readSvg(await exportSvg(page)).labels)).toBeGreaterThan(busyLabels(labels));
  expect(readSvg(await exportSvg(page)).labels.some((l) => l.includes('Client D: lock request ×'))).toBe(false);
  const opened = await exportSvg(page);
  expect(folds(opened).filter((f) => f.y <= busy.y), JSON.stringify(folds(opened)))
    .toEqual(before.filter((f) => f.y < busy.y));
  // Reopened (the page keeps the ended run), the run shows its story folded again; "Fit all"
  // shows it unfolded.
  await page.goto('./');
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled();
  await expect.poll(async () => folds(await exportSvg(page)).length).toBe(before.length);
  await page.getByRole('button', { name: 'Fit all' }).click();
  await expect.poll(async () => folds(await exportSvg(page)).length).toBe(0);
  expect(errors).toEqual([]);
});

// The end state: under the lanes, each node's state in the lesson's words, each under its own
// lane; "Now" while the run plays, "At the end" once it has ended; in the SVG export too.
test("the row under the lanes says each node's state, under its lane, at the end and in the export", async ({ page }) => {
  const errors = watchErrors(page);
  for (const [fix, storage] of [['', 'holds 1 (token 33)'], ['&fix=1', 'holds 2 (token 34)']]) {
    await page.goto(`./?scenario=gc-pause-fencing${fix}`);
    await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('gc-pause-fencing');
    const row = page.getByRole('group', { name: "Each node's state" });
    await expect(row.locator('.end-state-caption')).toHaveText('Now, 0.000 s');
    await expect(row.locator('.end-state-cell')).toHaveText([
      'Lock service (A): lease free', 'Storage (B): holds nothing', 'Client C: no lease', 'Client D: no lease']);
    const play = page.getByRole('button', { name: 'Play' });
    await page.locator('.speed input').fill('11');
    await play.click();
    await expect(play).toBeDisabled({ timeout: 20_000 });
    await expect(row.locator('.end-state-caption')).toHaveText('At the end, 18.000 s');
    await expect(row.locator('.end-state-cell').nth(1)).toHaveText(`Storage (B): ${storage}`);
    // Each cell is centred under its lane: the canvas gives its four lanes equal columns.
    const canvas = await page.locator('.timeline-canvas').boundingBox();
    const cells = row.locator('.end-state-cell');
    for (let i = 0; i < 4; i++) {
      const cell = await cells.nth(i).boundingBox();
      const lane = canvas.x + (canvas.width * (i + 0.5)) / 4;
      expect(Math.abs(cell.x + cell.width / 2 - lane), `cell ${i} under its lane`).toBeLessThanOrEqual(2);
      expect(cell.y, `cell ${i} below the diagram`).toBeGreaterThanOrEqual(canvas.y + canvas.height);
    }
    const svg = await exportSvg(page);
    expect(svg).toContain('>At the end, 18.000 s</text>');
    expect(svg).toContain(`>${storage}</text>`);
  }
  await page.getByRole('region', { name: 'Timeline' }).screenshot({ path: `${screenshots}/story-end-state.png` });
  expect(errors).toEqual([]);
});

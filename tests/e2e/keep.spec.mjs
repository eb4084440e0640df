// Keeping work: the cluster editor, the question before work is discarded, autosave across a
// reload, and impossible clusters from outside explained.
import { test, expect } from '@playwright/test';
import { screenshots, watchErrors } from './helpers.mjs';

test.use({ viewport: { width: 1280, height: 720 } });

const step = (page) => page.getByRole('button', { name: 'Step', exact: true }).click();

/** The sandbox with link A–C cut by hand after `before` steps. */
async function sandboxWithACut(page, before) {
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('sandbox');
  for (let i = 0; i < before; i++) await step(page);
  await cutAtoC(page);
}

async function cutAtoC(page) {
  await page.getByRole('button', { name: 'Link A–C (up)' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Link A–C (cut)' })).toHaveCount(1);
}

test('the cluster editor reruns the scenario on the cluster asked for, and refuses nonsense', async ({ page, browser }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('sandbox');
  await expect(page.locator('.node-twin')).toHaveCount(5);
  await page.getByRole('button', { name: 'Cluster…' }).click();
  const editor = page.getByRole('dialog', { name: 'Customise the cluster' });
  await expect(editor).toBeVisible();
  const field = (name) => editor.getByRole('textbox', { name });
  await expect(field('Nodes')).toBeFocused();

  for (const [name, value, words] of [
    ['Nodes', '99', 'a cluster has 1 to 16 nodes'],
    ['Nodes', '3', null],
    ['Latency', '-5', 'Latency cannot be negative'],
    ['Latency', 'NaN', 'enter an ordinary number'],
    ['Latency', '40', null],
    ['Loss', '150', 'a percentage'],
    ['Loss', '0', null],
    ['Run length', '600', 'runs last 0.05 to 60 s'],
  ]) {
    await field(name).fill(value);
    if (words) {
      await editor.getByRole('button', { name: 'Run on this cluster' }).click();
      await expect(editor.getByRole('alert')).toContainText(words);
      await expect(editor).toBeVisible();
    }
  }
  await page.screenshot({ path: `${screenshots}/cluster-editor-refusal.png` });
  await field('Nodes').fill('7');
  await field('Run length').fill('10');
  await editor.getByRole('button', { name: 'Run on this cluster' }).click();
  await expect(editor).toHaveCount(0);
  await expect(page.locator('.node-twin')).toHaveCount(7);
  await expect(page.getByRole('button', { name: 'Cluster (customised)' })).toHaveAttribute('aria-pressed', 'true');
  for (let i = 0; i < 30; i++) await step(page);
  await page.screenshot({ path: `${screenshots}/cluster-seven-nodes.png` });

  // The customised cluster travels in the link.
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByRole('textbox', { name: 'Link to this run' }).inputValue();
  const readout = await page.locator('.time-readout').textContent();
  const fresh = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.locator('.node-twin')).toHaveCount(7);
  await expect(other.locator('.time-readout')).toHaveText(readout);
  await fresh.close();

  // Back to the scenario's own cluster.
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Cluster (customised)' }).click();
  await page.getByRole('button', { name: 'Back to the scenario\'s own' }).click();
  await expect(page.locator('.node-twin')).toHaveCount(5);
  expect(errors).toEqual([]);
});

test('restarting or loading another scenario asks before discarding faults applied by hand', async ({ page }) => {
  const errors = watchErrors(page);
  await sandboxWithACut(page, 20);

  await page.getByRole('button', { name: 'Restart' }).click();
  const question = page.getByRole('alertdialog');
  await expect(question).toContainText('Restart the run? This discards the faults you applied.');
  await expect(page.getByRole('button', { name: 'Keep working' })).toBeFocused();
  await page.screenshot({ path: `${screenshots}/confirm-discard.png` });
  await page.getByRole('button', { name: 'Keep working' }).click();
  await expect(question).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Link A–C (cut)' })).toHaveCount(1);

  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('split-brain');
  await expect(question).toContainText('Load “Two leaders: split brain under a partition”?');
  await page.keyboard.press('Escape');
  await expect(question).toHaveCount(0);
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('sandbox');
  await expect(page.getByRole('button', { name: 'Link A–C (cut)' })).toHaveCount(1);

  await page.keyboard.press('r');
  await page.getByRole('button', { name: 'Discard and go on' }).click();
  await expect(page.getByRole('button', { name: 'Link A–C (up)' })).toHaveCount(1);
  await expect(page.locator('.time-readout')).toHaveText(/^0 ·/);
  // Nothing left to lose: no question.
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('split-brain');
  await expect(question).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('autosave brings the run back after a reload, exactly where it was', async ({ page }) => {
  const errors = watchErrors(page);
  await sandboxWithACut(page, 25);
  for (let i = 0; i < 15; i++) await step(page);
  await page.waitForTimeout(100);
  const readout = await page.locator('.time-readout').textContent();

  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('sandbox');
  await expect(page.locator('.time-readout')).toHaveText(readout);
  await expect(page.getByRole('button', { name: 'Link A–C (cut)' })).toHaveCount(1);
  await expect(page.locator('.notice')).toContainText('as you left it');
  await page.screenshot({ path: `${screenshots}/autosave-restored.png` });
  // An embed on the same site does not open the reader's own run.
  await page.goto('./?embed=1');
  await expect(page.locator('.time-readout')).toHaveText(/^0 ·/);
  await expect(page.locator('.node-twin')).toHaveCount(5);
  await page.goto('./');
  await expect(page.getByRole('button', { name: 'Link A–C (cut)' })).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('a link or file with an impossible cluster names the setting and keeps the app working', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  const run = (cluster) => JSON.stringify({
    format: 'faultline-run', version: 1,
    run: { scenario: 'sandbox', fix: false, seed: 1, faults: [], step: 0, cluster },
  }).replace('"LAT"', '-5');
  const link = { latency_us: 'LAT', jitter_us: 0, loss: 0, duplication: 0 };
  for (const [cluster, words] of [
    [{ nodes: 99, link: { ...link, latency_us: 5 }, duration_us: 1e6 }, '99 nodes requested'],
    [{ nodes: 3, link, duration_us: 1e6 }, 'This file could not be opened: run.cluster.link.latency_us should be a whole number of microseconds (0 or more), not -5.'],
  ]) {
    await page.getByRole('button', { name: 'Share' }).click();
    await page.getByLabel('Open a saved run').setInputFiles({
      name: 'hostile.run.json', mimeType: 'application/json', buffer: Buffer.from(run(cluster)),
    });
    await expect(page.locator('.notice')).toContainText(words);
    await page.keyboard.press('Escape');
    await step(page);
  }
  await page.screenshot({ path: `${screenshots}/cluster-hostile-file.png` });
  await expect(page.locator('.time-readout')).not.toHaveText(/^0 ·/);
  expect(errors).toEqual([]);
});

test('a scenario saved as JSON, edited and opened again runs as the person\'s own, and travels by link', async ({ page, browser }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('split-brain');
  await page.getByRole('button', { name: 'Share' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save the scenario' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('faultline-split-brain.scenario.json');
  const file = JSON.parse(Buffer.concat(await (await download.createReadStream()).toArray()).toString());
  expect(file.run.custom.model.model).toBe('election');

  // Edit it as a teacher would: a new id, title and first narration line, slower heartbeats.
  const own = structuredClone(file);
  Object.assign(own.run.custom, { id: 'slow-heartbeats', title: 'Slow heartbeats <i>split</i> too' });
  own.run.scenario = 'slow-heartbeats';
  own.run.custom.narration[0].text = 'Heartbeats every 200 ms this time.';
  own.run.custom.model.params.heartbeat_us = 200000;
  await page.getByLabel('Open a saved run').setInputFiles({
    name: 'own.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(own)),
  });
  const picker = page.getByRole('combobox', { name: 'Scenario' });
  await expect(picker.locator('option:checked')).toHaveText('Your scenario: Slow heartbeats <i>split</i> too');
  for (let i = 0; i < 20; i++) await step(page);
  await expect(page.locator('.narration')).toContainText('Heartbeats every 200 ms this time.');
  await expect(page.locator('.time-readout')).toHaveText(/^20 ·/);
  const readout = await page.locator('.time-readout').textContent();

  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByRole('textbox', { name: 'Link to this run' }).inputValue();
  const fresh = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByRole('combobox', { name: 'Scenario' }).locator('option:checked'))
    .toHaveText('Your scenario: Slow heartbeats <i>split</i> too');
  await expect(other.locator('.time-readout')).toHaveText(readout);
  await fresh.close();

  // A scenario that would flood the run is refused by name; the own scenario stays on stage.
  await page.keyboard.press('Escape');
  own.run.custom.model.params.heartbeat_us = 0;
  await page.getByRole('button', { name: 'Share' }).click();
  await page.getByLabel('Open a saved run').setInputFiles({
    name: 'flood.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(own)),
  });
  await expect(page.locator('.notice')).toContainText('its scenario cannot run: model.params.heartbeat_us is 0 µs; timings are 1 ms to 60 s');
  await expect(picker.locator('option:checked')).toHaveText('Your scenario: Slow heartbeats <i>split</i> too');
  await page.screenshot({ path: `${screenshots}/custom-scenario.png` });
  // Picking a preset leaves the own scenario.
  await page.keyboard.press('Escape');
  await picker.selectOption('sandbox');
  await expect(page.getByRole('alertdialog')).toContainText('Load “Sandbox: a five-node cluster to break yourself”? This discards your own scenario.');
  await page.getByRole('button', { name: 'Discard and go on' }).click();
  await expect(picker).toHaveValue('sandbox');
  await expect(picker.locator('option', { hasText: 'Your scenario' })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the fix box keeps the faults applied by hand: on and off, nothing is asked or lost', async ({ page }) => {
  const errors = watchErrors(page);
  await sandboxWithACut(page, 10);
  const fix = page.locator('.fix-toggle');
  await expect(fix).not.toBeChecked();
  for (const on of [true, false]) {
    await fix.click();
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
    await expect(fix).toBeChecked({ checked: on });
    await expect(page.getByRole('button', { name: 'Link A–C (cut)' })).toHaveCount(1);
    await expect(page.locator('.fault-log .fault-entry.by-hand')).toHaveCount(1);
  }
  // Restarting would lose the cut: that still asks.
  await page.getByRole('button', { name: 'Restart' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('This discards the faults you applied.');
  await page.getByRole('button', { name: 'Keep working' }).click();
  await expect(page.getByRole('button', { name: 'Link A–C (cut)' })).toHaveCount(1);
  expect(errors).toEqual([]);
});

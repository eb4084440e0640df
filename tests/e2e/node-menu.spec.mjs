// The node menu at the sizes people use: a lecturer's 1366×768 laptop and 1920×1080 projector,
// a student's 390×844 phone. Every item must be inside the window and be what a click there hits
// (after scrolling the menu, never the page), and a clock's offset and drift are set with real
// pointer (or touch) input and by arrow keys in small steps, the menu staying open meanwhile.
import { test, expect } from '@playwright/test';
import { screenshots, watchErrors } from './helpers.mjs';

const sizes = [
  { name: 'laptop', viewport: { width: 1366, height: 768 } },
  { name: 'projector', viewport: { width: 1920, height: 1080 } },
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 },
];

/** Every control in the open menu: its label and whether it is inside the window and is what a
 * pointer at its centre hits (each scrolled into view inside the menu first). */
async function reachable(page) {
  return page.evaluate(async () => {
    const menu = document.querySelector('.node-menu');
    const controls = [...menu.querySelectorAll('button, input')];
    const results = [];
    for (const control of controls) {
      control.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      await new Promise(requestAnimationFrame);
      const r = control.getBoundingClientRect();
      const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
      const inside = r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;
      const hit = document.elementFromPoint(x, y);
      results.push({
        label: control.getAttribute('aria-label') || control.textContent.trim(),
        inside,
        clickable: hit === control || control.contains(hit),
      });
    }
    // Scrolling inside the menu must not have scrolled the page or a panel behind it.
    const frame = document.querySelector('.topology .canvas-frame');
    results.push({ label: 'page not scrolled', inside: scrollY === 0 && frame.scrollTop === 0, clickable: true });
    return results;
  });
}

/** The offset and drift the inspector shows for the node (its "Offset · drift" row). */
async function clockRow(page) {
  return page.locator('.selected-node dt:text("Offset · drift") + dd').textContent();
}

for (const size of sizes) {
  test.describe(`at ${size.viewport.width}×${size.viewport.height}`, () => {
    const { name, ...options } = size;
    test.use(options);

    test(`every node menu item is reachable, and a clock is set by pointer and arrow keys (${name})`, async ({ page }) => {
      const errors = watchErrors(page);
      await page.goto('./');
      await page.getByRole('combobox', { name: 'Scenario' }).selectOption('sandbox');
      const phone = name === 'phone';
      if (phone) await page.getByRole('button', { name: 'Topology', exact: true }).tap();
      // A real click (or tap) on node C where the canvas draws it: its twin sits over it and
      // lets the pointer through to the canvas.
      const twin = page.getByRole('button', { name: /^Node C/ });
      const box = await twin.boundingBox();
      const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
      if (phone) await page.touchscreen.tap(x, y);
      else await page.mouse.click(x, y);
      const menu = page.getByRole('dialog', { name: 'Node C' });
      await expect(menu).toBeVisible();

      const items = await reachable(page);
      expect(items.length, 'pause, crash, flood, NTP, two clocks, four one-way cuts, close').toBeGreaterThan(15);
      for (const item of items) {
        expect(item.inside, `${item.label} inside the window`).toBe(true);
        expect(item.clickable, `${item.label} is what a click at its centre hits`).toBe(true);
      }
      await page.screenshot({ path: `${screenshots}/node-menu-${name}.png` });

      // The offset slider, by pointer: press three quarters of the way along it.
      const before = await clockRow(page);
      const offset = menu.locator('input.offset');
      await offset.scrollIntoViewIfNeeded();
      const slider = await offset.boundingBox();
      const [sx, sy] = [slider.x + slider.width * 0.75, slider.y + slider.height / 2];
      if (phone) await page.touchscreen.tap(sx, sy);
      else await page.mouse.click(sx, sy);
      await expect(menu.locator('legend').first()).not.toHaveText('Clock offset 0 ms');
      await expect(menu, 'the menu stays open while its clock is set').toBeVisible();
      await expect.poll(() => clockRow(page)).not.toBe(before);
      const offsetSet = await offset.inputValue();
      expect(Number(offsetSet)).toBeGreaterThan(500);

      // The drift slider, by pointer, then one arrow key: a small step.
      const drift = menu.locator('input.drift');
      await drift.scrollIntoViewIfNeeded();
      const dbox = await drift.boundingBox();
      const [dx, dy] = [dbox.x + dbox.width * 0.6, dbox.y + dbox.height / 2];
      if (phone) await page.touchscreen.tap(dx, dy);
      else await page.mouse.click(dx, dy);
      await expect.poll(async () => Number(await drift.inputValue())).toBeGreaterThan(1_000);
      const dragged = Number(await drift.inputValue());
      await drift.focus();
      await page.keyboard.press('ArrowRight');
      await expect.poll(async () => Number(await drift.inputValue())).toBe(dragged + 10);
      await expect
        .poll(async () => (await menu.locator('legend').nth(1).textContent()).replace(/[ ,]/g, ''))
        .toBe(`Clockdrift+${dragged + 10}ppm`);
      await expect(menu).toBeVisible();
      await expect(drift, 'focus stays on the slider').toBeFocused();
      // And an exact value typed in its field.
      await menu.locator('input.offset-exact').fill('-40');
      await menu.locator('input.offset-exact').press('Enter');
      await expect(menu.locator('legend').first()).toHaveText('Clock offset −40 ms');
      await expect.poll(() => clockRow(page)).toContain('−40 ms');
      await page.screenshot({ path: `${screenshots}/node-menu-set-${name}.png` });

      // Escape closes it.
      await page.keyboard.press('Escape');
      await expect(menu).toHaveCount(0);
      expect(errors).toEqual([]);
    });
  });
}

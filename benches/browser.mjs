// Browser benchmarks on the release bundle: serves dist/ on 127.0.0.1, opens it in headless
// Chromium at 1920×1080, calls the wasm hooks and prints figures as `name value unit`.
// Usage: node benches/browser.mjs <dist-dir>
import { chromium } from '@playwright/test';
import { args, executablePath } from '../tests/e2e/chromium.mjs';
import { framesPerSecond } from '../tests/e2e/helpers.mjs';
import { serve } from './server.mjs';

const dist = process.argv[2] || 'dist';
const port = Number(process.env.FAULTLINE_BENCH_PORT || 4518);
let url;

/** Trace events per second in wasm: best of five runs of the native benchmark's workload. */
async function simEventsPerSecond(page, nodes) {
  return page.evaluate(async (nodes) => {
    const run = window.wasmBindings.bench_sim_events;
    run(nodes, 20_000, 99); // warm up the JIT tiers
    let best = 0;
    for (let seed = 0; seed < 5; seed++) {
      const start = performance.now();
      const events = run(nodes, 300_000, seed);
      const seconds = (performance.now() - start) / 1000;
      best = Math.max(best, events / seconds);
    }
    return best;
  }, nodes);
}

/** Timeline frames of a 100,000-event run at 1920×1080, and the browser drawing our SVG. */
async function renderFigures(page) {
  return page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.style.cssText = 'position:fixed;left:0;top:0;width:1920px;height:1080px';
    document.body.appendChild(canvas);
    const bench = window.wasmBindings.RenderBench.create(canvas, 100_000, 1920, 1080);
    const middle = bench.duration_us() / 2;
    // Two timings per frame: the page's own work (layout and draw calls: what blocks input),
    // and the same plus rasterisation, forced by reading one pixel back (this headless
    // Chromium has no GPU, so the pixels are drawn in software on the same thread).
    const context = canvas.getContext('2d');
    const time = (run) => {
      const start = performance.now();
      run();
      const issued = performance.now();
      context.getImageData(0, 0, 1, 1);
      return [issued - start, performance.now() - start];
    };
    const sorted = (values) => [...values].sort((a, b) => a - b);
    const med = (values) => sorted(values)[Math.floor(values.length / 2)];
    let shapes = 0;
    for (let i = 0; i < 5; i++) time(() => bench.frame(middle)); // warm up
    const still = [];
    for (let i = 0; i < 31; i++) still.push(time(() => { shapes = bench.frame(middle); }));
    const pan = [];
    for (let i = 0; i < 31; i++) pan.push(time(() => bench.frame(middle + i * 2_000)));
    // The browser's cost to draw the same view from our SVG: parse, lay out and rasterise it
    // (decoded as an image and drawn, then read back the same way), as SVG-based tools must.
    const svg = bench.svg(middle);
    const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    const target = document.createElement('canvas');
    target.width = 1920;
    target.height = 1080;
    const targetContext = target.getContext('2d');
    const svgTimes = [];
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      const image = new Image();
      image.src = `${url}#${i}`; // a fresh image each time: no decoded copy is reused
      await image.decode();
      targetContext.drawImage(image, 0, 0);
      targetContext.getImageData(0, 0, 1, 1);
      svgTimes.push(performance.now() - start);
    }
    URL.revokeObjectURL(url);
    // Closer in, where messages have room for their labels: the frame with labels drawn.
    bench.show_events(300);
    const labels = bench.labels(middle);
    for (let i = 0; i < 5; i++) time(() => bench.frame(middle)); // warm up
    const labelled = [];
    for (let i = 0; i < 31; i++) labelled.push(time(() => bench.frame(middle + i * 500)));
    bench.show_events(5_000);
    const frame = med(still.map((t) => t[0]));
    const frameRaster = med(still.map((t) => t[1]));
    const svgMs = med(svgTimes);
    return [
      ['render_shapes_on_screen_100k', shapes, 'shapes'],
      ['render_labels_on_screen_100k', labels, 'labels'],
      ['render_labelled_frame_ms_100k', med(labelled.map((t) => t[0])).toFixed(2), 'ms'],
      ['render_frame_ms_100k', frame.toFixed(2), 'ms'],
      ['render_pan_frame_ms_100k', med(pan.map((t) => t[0])).toFixed(2), 'ms'],
      ['render_frame_raster_ms_100k', frameRaster.toFixed(2), 'ms'],
      ['render_pan_frame_raster_ms_100k', med(pan.map((t) => t[1])).toFixed(2), 'ms'],
      ['render_svg_ms_100k', svgMs.toFixed(2), 'ms'],
      ['render_svg_to_canvas_ratio_100k', (svgMs / Math.max(frameRaster, 0.01)).toFixed(1), 'ratio'],
    ];
  });
}

/** The timeline's overview of the sandbox on sixteen nodes for 60 s at "Fit all" (1920×1080):
 * message density instead of arrows. Layout and draw calls (the budget is 8 ms), and with
 * rasterisation forced by a pixel read-back, as for the 100,000-event frames. */
async function overviewFigures(page) {
  return page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.style.cssText = 'position:fixed;left:0;top:0;width:1920px;height:1080px';
    document.body.appendChild(canvas);
    const bench = window.wasmBindings.OverviewBench.create(canvas, 1920, 1080);
    const context = canvas.getContext('2d');
    const times = [];
    let shapes = 0;
    for (let i = 0; i < 36; i++) {
      const start = performance.now();
      shapes = bench.frame();
      const issued = performance.now();
      context.getImageData(0, 0, 1, 1);
      if (i >= 5) times.push([issued - start, performance.now() - start]); // 5 warm-ups
    }
    const med = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const events = bench.events();
    bench.free();
    canvas.remove();
    return [
      ['render_overview_events_16x60s', events, 'events'],
      ['render_overview_shapes_16x60s', shapes, 'shapes'],
      ['render_overview_frame_ms_16x60s', med(times.map((t) => t[0])).toFixed(2), 'ms'],
      ['render_overview_frame_raster_ms_16x60s', med(times.map((t) => t[1])).toFixed(2), 'ms'],
    ];
  });
}

/** The largest preset's story view (the sandbox played to its end, 11,748 events) at
 * 1920×1080: planning the frame (where it folds: once, when a run reaches its end), and a frame
 * of it (layout, labels and folds' words, draw calls; then with rasterisation). */
async function storyFigures(page) {
  return page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.style.cssText = 'position:fixed;left:0;top:0;width:1920px;height:1080px';
    document.body.appendChild(canvas);
    const bench = window.wasmBindings.StoryBench.create(canvas, 1920, 1080);
    const context = canvas.getContext('2d');
    const fits = [];
    const frames = [];
    let folds = 0;
    for (let i = 0; i < 16; i++) {
      const start = performance.now();
      folds = bench.fit();
      if (i >= 3) fits.push(performance.now() - start);
    }
    for (let i = 0; i < 36; i++) {
      const start = performance.now();
      bench.frame();
      const issued = performance.now();
      context.getImageData(0, 0, 1, 1);
      if (i >= 5) frames.push([issued - start, performance.now() - start]);
    }
    const med = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const events = bench.events();
    bench.free();
    canvas.remove();
    return [
      ['render_story_events_sandbox', events, 'events'],
      ['render_story_folds_sandbox', folds, 'folds'],
      ['render_story_fit_ms', med(fits).toFixed(2), 'ms'],
      ['render_story_frame_ms', med(frames.map((t) => t[0])).toFixed(2), 'ms'],
      ['render_story_frame_raster_ms', med(frames.map((t) => t[1])).toFixed(2), 'ms'],
    ];
  });
}

/** The app itself: a link-cut click to the frame that shows it, and frames per second while
 * the sandbox plays with more than 10,000 events on screen. */
async function uiFigures(browser) {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(url);
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('sandbox');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.waitForTimeout(300);
  const inputToFrame = await page.evaluate(async () => {
    const canvas = document.querySelector('.topology-canvas');
    const twin = [...document.querySelectorAll('.link-twin')].find((b) => b.getAttribute('aria-label').startsWith('Link A–B'));
    const box = canvas.getBoundingClientRect();
    const at = twin.getBoundingClientRect();
    const [x, y] = [at.left + at.width / 2, at.top + at.height / 2];
    const ratio = canvas.width / canvas.clientWidth;
    const context = canvas.getContext('2d');
    // The link's midpoint, where a cut draws its cross.
    const pixel = () => context.getImageData(Math.round((x - box.left) * ratio), Math.round((y - box.top) * ratio), 1, 1).data.join();
    const frame = () => new Promise(requestAnimationFrame);
    const times = [];
    for (let i = 0; i < 21; i++) {
      await frame();
      const before = pixel();
      const start = performance.now();
      for (const type of ['pointerdown', 'pointerup']) {
        canvas.dispatchEvent(new PointerEvent(type, { clientX: x, clientY: y, bubbles: true, pointerId: 1, isPrimary: true }));
      }
      let frames = 0;
      while (pixel() === before && frames++ < 60) await frame();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return times[10];
  });
  // Play at full speed until more than 10,000 events are on screen, then at 1,000 events/s.
  await page.locator('.speed input').fill('11');
  await page.getByRole('button', { name: 'Play' }).click();
  const events = () => Number(document.querySelector('.time-readout')?.getAttribute('data-events'));
  await page.waitForFunction(`(${events})() >= 10000`, null, { timeout: 60_000 });
  await page.locator('.speed input').fill('9');
  const fps = await framesPerSecond(page, 1_500);
  const onScreen = await page.evaluate(`(${events})()`);
  await page.close();
  return [
    ['ui_input_to_frame_ms', inputToFrame.toFixed(1), 'ms'],
    ['ui_play_fps', fps.toFixed(1), 'fps'],
    ['ui_play_events_on_screen', onScreen, 'events'],
  ];
}

/** A real touch tap on a link (CDP touch events on a touch screen) to the frame that shows the
 * link cut or healed: from the tap's first pointer event to the frame, median of 21. */
async function touchFigures(browser) {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, hasTouch: true });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('sandbox');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.waitForTimeout(300);
  const [x, y] = await page.evaluate(() => {
    const twin = [...document.querySelectorAll('.link-twin')].find((b) => b.getAttribute('aria-label').startsWith('Link A–B'));
    const at = twin.getBoundingClientRect();
    return [at.left + at.width / 2, at.top + at.height / 2];
  });
  const cdp = await context.newCDPSession(page);
  const times = [];
  for (let i = 0; i < 21; i++) {
    // Armed in the page: the link's midpoint now, then the first frame where it differs.
    await page.evaluate(([x, y]) => {
      const canvas = document.querySelector('.topology-canvas');
      const box = canvas.getBoundingClientRect();
      const ratio = canvas.width / canvas.clientWidth;
      const context = canvas.getContext('2d');
      const pixel = () => context.getImageData(Math.round((x - box.left) * ratio), Math.round((y - box.top) * ratio), 1, 1).data.join();
      const before = pixel();
      window.faultlineTouchToFrame = new Promise((resolve) => {
        canvas.addEventListener('pointerdown', () => {
          const start = performance.now();
          let frames = 0;
          const check = () => {
            if (pixel() !== before || frames++ > 60) resolve(performance.now() - start);
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        }, { once: true, capture: true });
      });
    }, [x, y]);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    times.push(await page.evaluate(() => window.faultlineTouchToFrame));
    await page.waitForTimeout(50);
  }
  await context.close();
  times.sort((a, b) => a - b);
  return [['ui_touch_to_frame_ms', times[10].toFixed(1), 'ms']];
}

/** The hunt in its Web Worker: schedules per second proving the fix on the sandbox cut to 3 s
 * (each schedule tried with the fix and without), the page's frame rate meanwhile (the sandbox
 * playing), and the time to shrink split brain's first failure (median of five seeds). */
async function huntFigures(browser) {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(url);
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('sandbox');
  await page.getByRole('button', { name: /^Cluster/ }).click();
  const editor = page.getByRole('dialog', { name: 'Customise the cluster' });
  await editor.getByLabel('Run length').fill('3');
  await editor.getByRole('button', { name: 'Run on this cluster' }).click();
  await page.locator('.fix-toggle').check();
  await page.getByRole('button', { name: 'Hunt for failures' }).click();
  const hunt = page.getByRole('region', { name: 'Hunt for failures' });
  await hunt.getByLabel('Schedules').fill('100000');
  await hunt.getByRole('button', { name: /^Prove the fix/ }).click();
  const tried = async () => {
    const text = (await hunt.locator('.hunt-progress-text').textContent()) || '';
    const match = text.match(/Tried ([\d,]+)/);
    return match ? Number(match[1].replace(/,/g, '')) : 0;
  };
  await page.waitForFunction(() => /Tried [1-9]/.test(document.querySelector('.hunt-progress-text')?.textContent || ''), null, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.locator('.speed input').fill('6');
  const fps = await framesPerSecond(page, 3_000);
  const [from, start] = [await tried(), Date.now()];
  await page.waitForTimeout(5_000);
  const rate = (await tried() - from) / ((Date.now() - start) / 1000);
  await hunt.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('split-brain');
  // Leaving the customised cluster asks first.
  await page.getByRole('button', { name: 'Discard and go on' }).click();
  await page.locator('.fix-toggle').uncheck();
  const shrinks = [];
  for (let seed = 1; seed <= 5; seed++) {
    await hunt.getByLabel('Seed').fill(String(seed));
    await hunt.getByRole('button', { name: 'Find a failure' }).click();
    const summary = hunt.locator(`.hunt-summary[data-seed="${seed}"]`);
    await summary.waitFor({ timeout: 60_000 });
    shrinks.push(Number(await summary.getAttribute('data-shrink-ms')));
    await hunt.getByRole('button', { name: 'Find a failure' }).waitFor();
  }
  shrinks.sort((a, b) => a - b);
  await page.close();
  return [
    ['hunt_schedules_per_sec_wasm', rate.toFixed(0), 'schedules/s'],
    ['hunt_runs_per_sec_wasm', (rate * 2).toFixed(0), 'runs/s'],
    ['hunt_ui_fps', fps.toFixed(1), 'fps'],
    ['hunt_shrink_ms_split_brain', shrinks[2].toFixed(1), 'ms'],
  ];
}

/** Every built-in challenge's par, found and shrunk (or its fix proved) by the worker as the
 * challenge opens: the worker's own time (`data-par-ms`), median and worst, and the page's frame
 * rate while the slowest one runs with the challenge's run playing. */
async function challengeFigures(browser) {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(url);
  await page.getByRole('button', { name: 'Challenges' }).click();
  const count = await page.locator('[data-act^="play:"]').count();
  await page.getByRole('button', { name: 'Close' }).click();
  const times = [];
  for (let i = 0; i < count; i++) {
    await page.getByRole('button', { name: 'Challenges' }).click();
    await page.locator(`[data-act="play:${i}"]`).click();
    const panel = page.locator('.challenge[data-par-ms]');
    await panel.waitFor({ timeout: 120_000 });
    times.push(Number(await panel.getAttribute('data-par-ms')));
  }
  const slowest = times.indexOf(Math.max(...times));
  await page.getByRole('button', { name: 'Challenges' }).click();
  await page.locator(`[data-act="play:${slowest}"]`).click();
  await page.getByRole('button', { name: 'Play' }).click();
  const fps = await framesPerSecond(page, Math.max(1_000, Math.min(times[slowest], 3_000)));
  await page.close();
  times.sort((a, b) => a - b);
  return [
    ['challenge_par_ms_median', times[Math.floor(times.length / 2)].toFixed(1), 'ms'],
    ['challenge_par_ms_worst', times[times.length - 1].toFixed(1), 'ms'],
    ['challenge_par_ui_fps', fps.toFixed(1), 'fps'],
  ];
}

const server = await serve(dist, port);
url = server.url;
let browser;
try {
  browser = await chromium.launch({ executablePath, args });
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(url);
  await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.bench_sim_events);
  console.log(`sim_events_per_sec_wasm_5 ${Math.round(await simEventsPerSecond(page, 5))} events/s`);
  for (const [name, value, unit] of await renderFigures(page)) console.log(`${name} ${value} ${unit}`);
  for (const [name, value, unit] of await overviewFigures(page)) console.log(`${name} ${value} ${unit}`);
  for (const [name, value, unit] of await storyFigures(page)) console.log(`${name} ${value} ${unit}`);
  for (const [name, value, unit] of await uiFigures(browser)) console.log(`${name} ${value} ${unit}`);
  for (const [name, value, unit] of await touchFigures(browser)) console.log(`${name} ${value} ${unit}`);
  for (const [name, value, unit] of await huntFigures(browser)) console.log(`${name} ${value} ${unit}`);
  for (const [name, value, unit] of await challengeFigures(browser)) console.log(`${name} ${value} ${unit}`);
} finally {
  await browser?.close();
  server.stop();
}

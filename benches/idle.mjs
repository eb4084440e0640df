// What idle embeds cost a blog post's reader: a host page (on its own origin) with three paused
// embeds in view, each at 960×540, opened in headless Chromium; once all three have drawn their
// first frame and told the page they are ready, the main-thread busy time (CDP's TaskDuration,
// every frame of the page in one renderer process) over the next five seconds, per second, as
// `idle_cpu_ms_per_s_three_embeds` (goal: at most 5 ms/s). Then the same with the three scrolled
// out of view while one of them plays, as `offscreen_cpu_ms_per_s_three_embeds`.
// Usage: node benches/idle.mjs <dist-dir>
import http from 'node:http';
import { chromium } from '@playwright/test';
import { args, executablePath } from '../tests/e2e/chromium.mjs';
import { serve } from './server.mjs';

const dist = process.argv[2] || 'dist';
const port = Number(process.env.FAULTLINE_IDLE_PORT || 4521);
const SECONDS = 5;

function hostPage(app) {
  const embed = (id, scenario) =>
    `<iframe id="${id}" src="${app}?embed=1&scenario=${scenario}" width="960" height="540" style="border:0;display:block"></iframe>`;
  return `<!doctype html><meta charset="utf-8"><title>A post</title>
<script>
  window.ready = new Set();
  addEventListener('message', (e) => { if (e.data && e.data.type === 'faultline:ready') window.ready.add(e.source); });
</script>
${embed('a', 'split-brain')}${embed('b', 'gc-pause-fencing')}${embed('c', 'lww-clock-skew')}
<div style="height:4000px"></div>`;
}

/** Main-thread busy milliseconds per second over `SECONDS` seconds. */
async function busy(cdp, page) {
  const metric = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'TaskDuration').value;
  };
  const before = await metric();
  await page.waitForTimeout(SECONDS * 1000);
  return ((await metric()) - before) * 1000 / SECONDS;
}

const app = await serve(dist, port);
const host = http.createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  response.end(hostPage(app.url));
});
await new Promise((resolve) => host.listen(0, '127.0.0.1', resolve));
// One renderer process for the page and its frames, so one CDP session sees all their work.
const browser = await chromium.launch({
  executablePath,
  args: [...args, '--disable-site-isolation-trials', '--disable-features=IsolateOrigins,site-per-process'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 1800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  await page.goto(`http://127.0.0.1:${host.address().port}/post.html`);
  await page.waitForFunction(() => window.ready.size === 3, null, { timeout: 60_000 });
  for (const id of ['a', 'b', 'c']) {
    await page.frameLocator(`#${id}`).locator('.time-readout').waitFor();
  }
  // Let first-frame work (fonts, the service worker's registration) settle.
  await page.waitForTimeout(2500);
  const idle = await busy(cdp, page);
  console.log(`idle_cpu_ms_per_s_three_embeds ${idle.toFixed(2)} ms/s`);
  await page.evaluate(() => {
    document.getElementById('a').contentWindow.postMessage({ type: 'faultline:play', speed: 5 }, '*');
    window.scrollTo(0, 3000);
  });
  await page.waitForTimeout(500);
  const offscreen = await busy(cdp, page);
  console.log(`offscreen_cpu_ms_per_s_three_embeds ${offscreen.toFixed(2)} ms/s`);
  await context.close();
} finally {
  await browser.close();
  host.close();
  app.stop();
}

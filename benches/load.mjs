// First load as a reader of a blog post meets it: the release bundle served gzip-compressed as a
// static host serves it, opened in headless Chromium with the network throttled through CDP to
// 9 Mbit/s down (3 Mbit/s up), 150 ms round trip, the cache disabled. Prints the median of five
// loads, from navigation to the first timeline frame drawn (the app's performance mark), as
// `load_to_first_frame_ms`, and the bytes that crossed the wire. Then, in one browser context,
// a visit that lets the service worker store the release, and five reloads with the network
// gone, served by the worker: their median is `load_to_first_frame_ms_offline`.
// Usage: node benches/load.mjs <dist-dir>
import { chromium } from '@playwright/test';
import { args, executablePath } from '../tests/e2e/chromium.mjs';
import { serve } from './server.mjs';

const dist = process.argv[2] || 'dist';
const port = Number(process.env.FAULTLINE_LOAD_PORT || 4519);
const MARK = 'faultline-first-frame';
const LOADS = 5;

/** One cold load: milliseconds from navigation to the first timeline frame, and bytes received. */
async function load(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (9_000_000 / 8),
    uploadThroughput: (3_000_000 / 8),
  });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (event) => { bytes += event.encodedDataLength; });
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, MARK, {
    timeout: 60_000,
    polling: 20,
  });
  const ms = await page.evaluate((mark) => performance.getEntriesByName(mark)[0].startTime, MARK);
  await context.close();
  return { ms, bytes };
}

/** Reloads with the network gone, after one visit: milliseconds to the first frame of each. */
async function offlineLoads(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(url);
  // The worker registers after the first frame, then stores the release.
  for (let i = 0; i < 200; i++) {
    const ready = await page.evaluate(async () => {
      const names = (await caches.keys()).filter((name) => name.startsWith('faultline-'));
      return !!navigator.serviceWorker.controller && names.length === 1;
    });
    if (ready) break;
    await page.waitForTimeout(100);
  }
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
    throw new Error('the service worker never took over: no offline figure');
  }
  await context.setOffline(true);
  const times = [];
  for (let i = 0; i < LOADS; i++) {
    await page.reload({ waitUntil: 'commit' });
    await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, MARK, {
      timeout: 60_000,
      polling: 20,
    });
    times.push(await page.evaluate((mark) => performance.getEntriesByName(mark)[0].startTime, MARK));
  }
  await context.close();
  return times;
}

const server = await serve(dist, port, { gzip: true });
let browser;
try {
  browser = await chromium.launch({ executablePath, args });
  const loads = [];
  for (let i = 0; i < LOADS; i++) loads.push(await load(browser, server.url));
  const times = loads.map((l) => l.ms).sort((a, b) => a - b);
  console.log(`load_to_first_frame_ms ${Math.round(times[Math.floor(LOADS / 2)])} ms`);
  console.log(`load_bytes_on_wire ${Math.max(...loads.map((l) => l.bytes))} bytes`);
  const offline = (await offlineLoads(browser, server.url)).sort((a, b) => a - b);
  console.log(`load_to_first_frame_ms_offline ${Math.round(offline[Math.floor(LOADS / 2)])} ms`);
} finally {
  await browser?.close();
  server.stop();
}

// Browser benchmarks on the release bundle: serves dist/ on 127.0.0.1, opens it in headless
// Chromium at 1920×1080, calls the wasm hooks and prints figures as `name value unit`.
// Usage: node benches/browser.mjs <dist-dir>
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
import { args, executablePath } from '../tests/e2e/chromium.mjs';

const dist = process.argv[2] || 'dist';
const port = Number(process.env.FAULTLINE_BENCH_PORT || 4518);
const url = `http://127.0.0.1:${port}/faultline/`;

async function waitForServer() {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the bench server did not start at ${url}`);
}

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

const server = spawn('node', ['tests/e2e/serve.mjs', dist, String(port), '/faultline/'], {
  stdio: 'ignore',
});
let browser;
try {
  await waitForServer();
  browser = await chromium.launch({ executablePath, args });
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(url);
  await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.bench_sim_events);
  console.log(`sim_events_per_sec_wasm_5 ${Math.round(await simEventsPerSecond(page, 5))} events/s`);
} finally {
  await browser?.close();
  server.kill();
}

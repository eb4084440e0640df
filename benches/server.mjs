// The static server the browser benchmarks load the bundle from: tests/e2e/serve.mjs, serving
// `dist` under /faultline/ on 127.0.0.1 (gzipped as a static host would when `gzip` is set).
import { spawn } from 'node:child_process';

/** Starts the server and waits until it answers; `stop()` ends it. */
export async function serve(dist, port, { gzip = false } = {}) {
  const url = `http://127.0.0.1:${port}/faultline/`;
  const server = spawn('node', ['tests/e2e/serve.mjs', dist, String(port), '/faultline/'], {
    stdio: 'ignore',
    env: { ...process.env, FAULTLINE_SERVE_GZIP: gzip ? '1' : '0' },
  });
  const stop = () => server.kill();
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(url)).ok) return { url, stop };
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  stop();
  throw new Error(`the bench server did not start at ${url}`);
}

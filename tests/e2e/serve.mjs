// Minimal static file server for the e2e tests: serves a directory under a URL prefix on 127.0.0.1,
// so the tests prove the release build works from a sub-path of a static host.
// With FAULTLINE_SERVE_GZIP=1 it answers as a static host does: text, scripts and wasm gzipped
// (level 9) for clients that accept it.
// Scripts are served with `access-control-allow-origin: *`, as a host serving the web component
// to other sites must.
// Usage: node tests/e2e/serve.mjs <dir> <port> <prefix>
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const [dir = 'dist', port = '4517', prefix = '/'] = process.argv.slice(2);
const root = resolve(dir);
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

const gzip = process.env.FAULTLINE_SERVE_GZIP === '1';
const compressible = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.svg', '.json']);
const gzipped = new Map();

const server = createServer(async (request, response) => {
  const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
  if (!path.startsWith(prefix)) {
    response.writeHead(404).end('not under ' + prefix);
    return;
  }
  let file = normalize(join(root, path.slice(prefix.length)));
  if (!file.startsWith(root)) {
    response.writeHead(403).end();
    return;
  }
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    let body = await readFile(file);
    const headers = {
      'content-type': types[extname(file)] || 'application/octet-stream',
      'cache-control': 'no-store',
    };
    // Scripts may be loaded by pages of other origins: a module script (the <faultline-embed>
    // component, assets/faultline-embed.js, on a blog) is fetched with CORS.
    if (extname(file) === '.js' || extname(file) === '.mjs') headers['access-control-allow-origin'] = '*';
    const accepts = /\bgzip\b/.test(request.headers['accept-encoding'] || '');
    if (gzip && accepts && compressible.has(extname(file))) {
      if (!gzipped.has(file)) gzipped.set(file, gzipSync(body, { level: 9 }));
      body = gzipped.get(file);
      headers['content-encoding'] = 'gzip';
      headers.vary = 'accept-encoding';
    }
    response.writeHead(200, headers);
    response.end(body);
  } catch {
    response.writeHead(404).end('not found');
  }
});

server.listen(Number(port), '127.0.0.1', () => {
  console.log(`serving ${root} at http://127.0.0.1:${port}${prefix}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));

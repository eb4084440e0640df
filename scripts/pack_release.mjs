// Packs a built app for its first load, in place: `node scripts/pack_release.mjs <dist>`.
// - The wasm-bindgen JS glue is minified with terser (an npm tool, like binaryen's wasm-opt):
//   trunk 0.21 cannot parse that glue ("Failed to minify JS") and ships it as written, 60 KB,
//   10 KB gzip; minified it is about 8 KB gzip.
// - The stylesheets, which trunk writes one per source file, become one file: one request, and
//   gzip finds more to share across them (about 1.2 KB less).
// index.html's links and their integrity hashes (SRI) are rewritten to match. Runs before
// service_worker.mjs, whose release hash then covers the packed files.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const dist = process.argv[2] || 'dist';
const fail = (message) => {
  console.error(`pack_release.mjs: ${message}`);
  process.exit(1);
};
const integrity = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
let html = readFileSync(join(dist, 'index.html'), 'utf8');

// The glue: minified, and its modulepreload's integrity updated.
const glue = readdirSync(dist).filter((name) => /^faultline-[0-9a-f]+\.js$/.test(name));
if (glue.length !== 1) fail(`expected one faultline-<hash>.js in ${dist}, found ${glue.length}`);
const source = readFileSync(join(dist, glue[0]), 'utf8');
const { code } = await minify(source, { module: true, compress: { passes: 2 }, mangle: true });
if (!code) fail('terser returned nothing');
writeFileSync(join(dist, glue[0]), code);
const preload = new RegExp(`(<link[^>]*href=\\./${glue[0].replace('.', '\\.')} integrity=)[^ >]+`);
if (!preload.test(html)) fail(`no preload of ${glue[0]} in index.html`);
html = html.replace(preload, `$1${integrity(code)}`);

// The stylesheets: one file, in the order the page links them.
const links = [...html.matchAll(/<link href=\.\/([\w-]+\.css) integrity=[^ >]+ rel=stylesheet>/g)];
if (links.length === 0) fail('no stylesheets linked in index.html');
const css = links.map((link) => readFileSync(join(dist, link[1]), 'utf8')).join('\n');
const name = `styles-${createHash('sha256').update(css).digest('hex').slice(0, 16)}.css`;
writeFileSync(join(dist, name), css);
html = html.replace(links[0][0], `<link href=./${name} integrity=${integrity(css)} rel=stylesheet>`);
for (const link of links.slice(1)) html = html.replace(link[0], '');
for (const link of links) rmSync(join(dist, link[1]));
writeFileSync(join(dist, 'index.html'), html);
console.error(
  `pack_release.mjs: ${glue[0]} ${source.length} → ${code.length} bytes; ${links.length} stylesheets → ${name}`,
);

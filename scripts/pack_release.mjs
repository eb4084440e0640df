// Packs a built app for its first load, in place: `node scripts/pack_release.mjs <dist>`.
// - The wasm-bindgen JS glue is minified with terser (an npm tool, like binaryen's wasm-opt):
//   trunk 0.21 cannot parse that glue ("Failed to minify JS") and ships it as written, 60 KB,
//   10 KB gzip; minified it is about 8 KB gzip.
// - The stylesheets, which trunk writes one per source file, become one file: one request, and
//   gzip finds more to share across them (about 1.2 KB less).
// - The wasm's imports get short names, in the wasm and the glue alike: wasm-bindgen names each
//   one `__wbg_<name>_<16 hex digits>`, twice in the bundle (the wasm's import, the glue's
//   function), and gzip cannot shrink hex digits (about 5 KB gzip). Nothing else changes: the
//   glue hands the wasm the same functions, under the new names.
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
let source = readFileSync(join(dist, glue[0]), 'utf8');

// The imports renamed (see above): the wasm's import section rewritten, each import's name in
// the glue's import object replaced, every one found exactly once or the build fails.
const wasmName = glue[0].replace(/\.js$/, '_bg.wasm');
const renamed = shortImports(readFileSync(join(dist, wasmName)));
for (const [long, short] of renamed.names) {
  const key = new RegExp(`(?<![\\w$])${long}(?=\\s*:)`, 'g');
  const found = source.match(key)?.length ?? 0;
  const anywhere = source.match(new RegExp(`(?<![\\w$])${long}(?![\\w$])`, 'g'))?.length ?? 0;
  if (found !== 1 || anywhere !== 1) {
    fail(`import ${long} is named ${anywhere} times in the glue, ${found} as a key, not once`);
  }
  source = source.replace(key, short);
}
writeFileSync(join(dist, wasmName), renamed.wasm);
const wasmPreload = new RegExp(`(<link[^>]*href=\\./${wasmName.replace('.', '\\.')} integrity=)[^ >]+`);
if (!wasmPreload.test(html)) fail(`no preload of ${wasmName} in index.html`);
html = html.replace(wasmPreload, `$1${integrity(renamed.wasm)}`);

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
  `pack_release.mjs: ${renamed.names.size} imports renamed; ${glue[0]} ${source.length} → ${code.length} bytes; ${links.length} stylesheets → ${name}`,
);

/// The wasm with every import of wasm-bindgen's glue module given a short name (a, b, … aa, ab,
/// …), and the names given (long → short). Only the import section changes.
function shortImports(wasm) {
  let at = 8;
  const uleb = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = wasm[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) return value;
    }
  };
  const encode = (value) => {
    const bytes = [];
    do {
      let byte = value & 0x7f;
      value = Math.floor(value / 128);
      if (value > 0) byte |= 0x80;
      bytes.push(byte);
    } while (value > 0);
    return Buffer.from(bytes);
  };
  const text = (bytes) => Buffer.concat([encode(bytes.length), bytes]);
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const shortName = (i) => {
    let name = '';
    for (i += 1; i > 0; i = Math.floor((i - 1) / letters.length)) {
      name = letters[(i - 1) % letters.length] + name;
    }
    return name;
  };
  const names = new Map();
  while (at < wasm.length) {
    const sectionStart = at;
    const id = wasm[at++];
    const size = uleb();
    const bodyStart = at;
    if (id !== 2) {
      at = bodyStart + size;
      continue;
    }
    const entries = [];
    const count = uleb();
    for (let i = 0; i < count; i++) {
      const moduleLength = uleb();
      const module = wasm.subarray(at, (at += moduleLength));
      const fieldLength = uleb();
      const field = wasm.subarray(at, (at += fieldLength)).toString('utf8');
      const descStart = at;
      const kind = wasm[at++];
      if (kind === 0) uleb();
      else if (kind === 1 || kind === 2) {
        if (kind === 1) at++;
        const flags = wasm[at++];
        uleb();
        if (flags & 1) uleb();
      } else if (kind === 3) at += 2;
      else if (kind === 4) {
        at++;
        uleb();
      } else fail(`import ${field} has an unknown kind ${kind}`);
      let name = field;
      if (module.toString('utf8') === './faultline_bg.js') {
        name = shortName(names.size);
        names.set(field, name);
      }
      entries.push(Buffer.concat([text(module), text(Buffer.from(name)), wasm.subarray(descStart, at)]));
    }
    if (at !== bodyStart + size) fail('the import section did not read to its end');
    const body = Buffer.concat([encode(count), ...entries]);
    const section = Buffer.concat([Buffer.from([2]), encode(body.length), body]);
    return { wasm: Buffer.concat([wasm.subarray(0, sectionStart), section, wasm.subarray(at)]), names };
  }
  fail('the wasm has no import section');
}

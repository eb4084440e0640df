// Writes the release service worker into a built app: `node scripts/service_worker.mjs <dist>`.
// Its version is a hash of every file of the release, so any change makes a new worker (which the
// browser then installs, replacing the old release's cache); its file list is every file of the
// release but the worker itself and the handouts. See scripts/sw-release.js for what the worker does.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const dist = process.argv[2] || 'dist';
const WORKER = 'sw.js';

/** Every file under `dir`, as paths relative to `dist` with forward slashes, sorted. */
function files(dir) {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : [relative(dist, path).split(sep).join('/')];
    })
    .sort();
}

// The printed handouts (dist/handouts, about 1 MB of pages with inline figures) are not the app:
// the worker neither stores nor answers them (it answers a navigation only to a page in its scope's
// own folder, the app's), so installing it costs no more than before.
const release = files(dist).filter((file) => file !== WORKER && !file.startsWith('handouts/'));
if (!release.includes('index.html')) {
  console.error(`service_worker.mjs: no index.html in ${dist}: build the app first`);
  process.exit(1);
}
const hash = createHash('sha256');
for (const file of release) {
  hash.update(file);
  hash.update('\0');
  hash.update(readFileSync(join(dist, file)));
}
const version = hash.digest('hex').slice(0, 16);
const template = readFileSync(new URL('./sw-release.js', import.meta.url), 'utf8');
const worker = template
  .replace('__VERSION__', version)
  .replace('__FILES__', JSON.stringify(release));
writeFileSync(join(dist, WORKER), worker);
console.error(`service_worker.mjs: ${WORKER} for release ${version}, ${release.length} files`);

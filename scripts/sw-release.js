// Faultline's service worker for a release (`make dist`), written by scripts/service_worker.mjs:
// it keeps this release's files for offline use, and nothing else.
//
// - On install it stores every file of the release in a cache named after the release
//   (`faultline-<version>`, the version a hash of the files), and takes over at once.
// - On activate it deletes the caches of earlier releases.
// - The page itself is fetched from the network first, so a new release is used on the first
//   load it is online for; only when the network fails is the stored page served. It is stored
//   under its own name only: a share link's query is never a cache key, and its fragment never
//   reaches the worker at all.
// - The release's other files are served from the cache (their names carry a hash, so a stored
//   copy is never stale), from the network if missing. Any other request is left alone.
const VERSION = '__VERSION__';
const FILES = __FILES__;
const CACHE = `faultline-${VERSION}`;
const scope = new URL(self.registration.scope);
const PAGE = new URL('index.html', scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map((file) => new URL(file, scope).href)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith('faultline-') && k !== CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const path = url.pathname.slice(scope.pathname.length);
  if ((request.mode === 'navigate' && !path.includes('/')) || path === '' || path === 'index.html') {
    event.respondWith(
      fetch(request).catch(() =>
        caches.open(CACHE).then((cache) => cache.match(PAGE)).then((page) => page || Response.error()),
      ),
    );
    return;
  }
  if (!FILES.includes(path)) return;
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(url.href, { ignoreSearch: true }))
      .then((stored) => stored || fetch(request)),
  );
});

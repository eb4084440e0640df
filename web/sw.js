// Faultline's service worker as `trunk serve` and `trunk build` ship it: it caches nothing and
// answers no request, and removes itself (and any cache an installed release left behind), so a
// development build is never served stale. `make dist` replaces this file with the release
// worker (scripts/service_worker.mjs), which keeps the app for offline use.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('faultline-')).map((k) => caches.delete(k))))
      .then(() => self.registration.unregister()),
  );
});

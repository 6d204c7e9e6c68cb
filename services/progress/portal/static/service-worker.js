// SoRi's service worker: keeps the milestone reporting pages and the portal's assets for when the connection
// drops (README, "Reporting offline"). Written by hand, no build step. Only GET requests are answered here; every
// form still posts to the network as it would without this worker.
"use strict";

const RELEASE = "__SORI_VERSION__";
const ASSETS = `sori-assets-${RELEASE}`;
const PAGES = `sori-pages-${RELEASE}`;
const PRECACHED = [
  "/static/portal.css",
  "/static/portal.js",
  "/static/favicon.svg",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
];
// The pages kept for offline use: the list of milestones and each milestone's reporting form.
const KEPT_PAGE = /^\/reporting(\/[0-9a-f-]{36}\/[0-9a-f-]{36})?$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(ASSETS).then((cache) => cache.addAll(PRECACHED)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  const current = new Set([ASSETS, PAGES]);
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => !current.has(name)).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

function keepable(response) {
  return response.ok && response.type === "basic" && !response.redirected;
}

// A page: the network's answer when there is one (and a copy kept), the kept copy when there is none. A page is
// kept under its path: "/reporting?reported=1" (which says a report went) is shown but never kept.
async function networkFirst(request, url) {
  const cache = await caches.open(PAGES);
  const kept = url.origin + url.pathname;
  try {
    const response = await fetch(request);
    if (keepable(response) && !url.search) await cache.put(kept, response.clone());
    return response;
  } catch (offline) {
    const copy = await cache.match(kept);
    if (copy) return copy;
    throw offline;
  }
}

// An asset: the kept copy at once, refreshed from the network for the next time.
async function keptThenRefreshed(event) {
  const cache = await caches.open(ASSETS);
  const kept = await cache.match(event.request);
  const fresh = fetch(event.request).then((response) => {
    if (keepable(response)) return cache.put(event.request, response.clone()).then(() => response);
    return response;
  });
  if (kept) {
    event.waitUntil(fresh.catch(() => undefined));
    return kept;
  }
  return fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && (url.pathname === "/sign-out" || url.pathname === "/sign-in")) {
    // Another person may use this browser next: the pages kept for this one go (the post itself goes on as usual).
    event.waitUntil(caches.delete(PAGES));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate" && KEPT_PAGE.test(url.pathname)) {
    event.respondWith(networkFirst(request, url));
  } else if (url.pathname.startsWith("/static/") || url.pathname.startsWith("/icons/")) {
    event.respondWith(keptThenRefreshed(event));
  }
});

// A reporting page asks for itself and the forms it links to be kept; the answer says when they are.
self.addEventListener("message", (event) => {
  const wanted = Array.isArray(event.data && event.data.keep) ? event.data.keep : [];
  const paths = wanted.filter((path) => typeof path === "string" && KEPT_PAGE.test(path));
  const port = event.ports[0];
  event.waitUntil(
    caches
      .open(PAGES)
      .then((cache) =>
        Promise.all(
          paths.map((path) =>
            fetch(path, { credentials: "same-origin" }).then((response) =>
              keepable(response) ? cache.put(new URL(path, self.location.origin).href, response) : undefined,
            ),
          ),
        ),
      )
      .then(
        () => port && port.postMessage({ kept: true }),
        () => port && port.postMessage({ kept: false }),
      ),
  );
});

{% load static %}// Pass Emploi service worker: keeps the offline page ready and shows it when the network fails.
const CACHE = "passemploi-{{ version }}";
const OFFLINE_URL = "{{ offline_url }}";
// What the offline page needs to look right without the network.
const PRECACHE = [
  OFFLINE_URL,
  "{% static 'dsfr/dist/dsfr/dsfr.min.css' %}",
  "{% static 'dsfr/dist/utility/utility.min.css' %}",
  "{% static 'core/passemploi.css' %}",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" }))))
  );
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
  );
  self.clients.claim();
});

self.addEventListener("fetch", (event) => {
  if (event.request.mode === "navigate") {
    event.respondWith(fetch(event.request).catch(() => caches.match(OFFLINE_URL)));
  } else if (PRECACHE.includes(new URL(event.request.url).pathname)) {
    event.respondWith(fetch(event.request).catch(() => caches.match(event.request)));
  }
});

{% load static %}// Pass Emploi service worker: the app shell, the last version of the main pages for reading
// offline (network first, cache fallback), and the offline page for the others.
const CACHE = "passemploi-{{ version }}";
const PAGES = "passemploi-pages-{{ version }}";
const OFFLINE_URL = "{{ offline_url }}";
// What the offline page needs to look right without the network.
const PRECACHE = [
  OFFLINE_URL,
  "{% static 'dsfr/dist/dsfr/dsfr.min.css' %}",
  "{% static 'dsfr/dist/utility/utility.min.css' %}",
  "{% static 'core/passemploi.css' %}",
  "{% static 'youth/offline.js' %}",
];
// Accueil, Mon suivi, Messages and Événements: their last version stays readable offline.
const READABLE_OFFLINE = {{ readable_offline|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" }))))
  );
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE && k !== PAGES).map((k) => caches.delete(k))))
  );
  self.clients.claim();
});

function keepCopy(cacheName, request, response) {
  if (response.ok && !response.redirected && response.type === "basic") {
    const copy = response.clone();
    caches.open(cacheName).then((cache) => cache.put(request, copy));
  }
  return response;
}

function pageFirstFromNetwork(request) {
  const path = new URL(request.url).pathname;
  const readable = READABLE_OFFLINE.includes(path);
  return fetch(request)
    .then((response) => (readable ? keepCopy(PAGES, path, response) : response))
    .catch(() =>
      (readable ? caches.open(PAGES).then((cache) => cache.match(path)) : Promise.resolve(undefined)).then(
        (cached) => cached || caches.match(OFFLINE_URL)
      )
    );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(pageFirstFromNetwork(request));
  } else if (url.pathname.startsWith("{% get_static_prefix %}")) {
    // Styles, scripts and icons of the pages read offline: network first, last copy otherwise.
    event.respondWith(
      fetch(request)
        .then((response) => keepCopy(CACHE, request, response))
        .catch(() => caches.match(request))
    );
  }
});

// Web Push (passemploi/push): the payload is {title, body, url, tag}, never personal content.
const PUSH_ICON = "{% static 'dsfr/dist/favicon/android-chrome-192x192.png' %}";
const APP_URL = "/app/";

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  const options = { body: data.body || "", icon: PUSH_ICON, data: { url: data.url || APP_URL } };
  if (data.tag) {
    options.tag = data.tag;
    options.renotify = true;
  }
  event.waitUntil(self.registration.showNotification(data.title || "Pass Emploi", options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  let target = new URL((event.notification.data && event.notification.data.url) || APP_URL, self.location.origin);
  if (target.origin !== self.location.origin) {
    target = new URL(APP_URL, self.location.origin); // only ever open our own pages
  }
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const same = windows.find((client) => client.url === target.href);
      if (same) {
        return same.focus();
      }
      const ours = windows.find((client) => "navigate" in client && client.url.startsWith(self.location.origin + APP_URL));
      if (ours) {
        return ours.focus().then((client) => client.navigate(target.href));
      }
      return self.clients.openWindow(target.href);
    })
  );
});

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

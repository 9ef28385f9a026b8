// Registers the young person's app service worker (offline page). Loaded with `defer`.
(function () {
  const script = document.currentScript || document.querySelector("script[data-sw-url]");
  if (!("serviceWorker" in navigator) || !script) {
    return;
  }
  navigator.serviceWorker.register(script.dataset.swUrl, { scope: "/app/" }).catch(function () {
    // No service worker (private mode, old browser): the app still works online.
  });
})();

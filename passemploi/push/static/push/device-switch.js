// "Recevoir les notifications sur ce téléphone": subscribes this browser to Web Push with the
// server's VAPID key and registers the subscription through the API. Loaded with `defer`.
(function () {
  const box = document.getElementById("push-switch");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return; // the switch stays hidden: this browser cannot receive push
  }
  const toggle = document.getElementById("push-toggle");
  const status = document.getElementById("push-status");
  const url = box.dataset.subscriptionsUrl;

  function keyBytes(base64url) {
    const padded = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  function call(method, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": box.dataset.csrfToken },
      body: JSON.stringify(body),
    }).then((response) => {
      if (!response.ok && response.status !== 404) {
        throw new Error("HTTP " + response.status);
      }
    });
  }

  function say(text) {
    status.textContent = text;
  }

  function enable(registration) {
    return Notification.requestPermission().then((permission) => {
      if (permission !== "granted") {
        toggle.checked = false;
        say("Notifications refusées : autorisez-les dans les réglages du navigateur pour ce site.");
        return null;
      }
      return registration.pushManager
        .subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.vapidKey) })
        .then((subscription) => call("POST", subscription.toJSON()))
        .then(() => say("Notifications activées sur ce téléphone."));
    });
  }

  function disable(registration) {
    return registration.pushManager.getSubscription().then((subscription) => {
      if (!subscription) {
        return null;
      }
      return call("DELETE", { endpoint: subscription.endpoint })
        .then(() => subscription.unsubscribe())
        .then(() => say("Notifications désactivées sur ce téléphone."));
    });
  }

  navigator.serviceWorker.ready.then((registration) => {
    box.hidden = false;
    registration.pushManager.getSubscription().then((subscription) => {
      toggle.checked = Boolean(subscription) && Notification.permission === "granted";
      if (toggle.checked) {
        call("POST", subscription.toJSON()).catch(() => {}); // keep the server's copy current
      }
    });
    toggle.addEventListener("change", () => {
      toggle.disabled = true;
      const change = toggle.checked ? enable(registration) : disable(registration);
      change
        .catch(() => {
          toggle.checked = !toggle.checked;
          say("Le changement n'a pas pu être enregistré. Réessayez plus tard.");
        })
        .finally(() => {
          toggle.disabled = false;
        });
    });
  });
})();

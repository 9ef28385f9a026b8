// Offline support of the young person's app, loaded with `defer` on every page.
// - A banner while offline (and on a page served from the service worker's cache).
// - A form posted while offline is kept in localStorage ("En attente d'envoi") and posted again
//   when the connection returns. Its hidden `client_id` (chat, actions) makes the server apply a
//   repeated post once.
// - Signing out clears the cached pages and the outbox: they hold personal data.
(function () {
  "use strict";
  var KEY = "pe-outbox";
  var main = document.getElementById("contenu");
  if (!main || !window.localStorage) {
    return;
  }

  function load() {
    try {
      return JSON.parse(localStorage.getItem(KEY) || "[]");
    } catch (error) {
      return [];
    }
  }

  function save(items) {
    localStorage.setItem(KEY, JSON.stringify(items));
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // --- the banner and the list of pending sends -----------------------------------------------
  var banner = document.createElement("div");
  banner.className = "fr-alert fr-alert--info fr-alert--sm fr-mb-2w pe-offline-banner";
  banner.setAttribute("role", "status");
  banner.hidden = true;
  var bannerText = document.createElement("p");
  bannerText.className = "fr-mb-0";
  banner.appendChild(bannerText);
  var outbox = document.createElement("div");
  outbox.id = "pe-outbox";
  outbox.setAttribute("aria-live", "polite");
  main.insertBefore(outbox, main.firstChild);
  main.insertBefore(banner, main.firstChild);

  function showBanner() {
    var rendered = document.querySelector('meta[name="pe-rendered-at"]');
    var offline = !navigator.onLine;
    banner.hidden = !offline;
    if (offline) {
      bannerText.textContent = "Hors connexion" + (rendered ? " — dernière mise à jour à " + rendered.content : "");
    }
  }

  function render(notice) {
    var items = load();
    outbox.textContent = "";
    if (!items.length && !notice) {
      return;
    }
    var box = document.createElement("div");
    box.className = "fr-alert fr-alert--sm fr-mb-2w " + (items.length ? "fr-alert--warning" : "fr-alert--info");
    if (notice) {
      var p = document.createElement("p");
      p.textContent = notice;
      box.appendChild(p);
    }
    items.forEach(function (item) {
      var line = document.createElement("p");
      line.className = "pe-pending";
      line.textContent = "En attente d'envoi : « " + item.label + " »";
      box.appendChild(line);
    });
    outbox.appendChild(box);
  }

  function labelOf(entries) {
    for (var i = 0; i < entries.length; i++) {
      var name = entries[i][0];
      if (name === "body" || name === "title" || name === "text") {
        var value = String(entries[i][1]).trim();
        return value.length > 60 ? value.slice(0, 59) + "…" : value;
      }
    }
    return "votre saisie";
  }

  // --- keep a form posted offline ---------------------------------------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.getAttribute("action") || "").indexOf("/deconnexion/") === 0) {
      localStorage.removeItem(KEY);
      if (window.caches) {
        caches.keys().then(function (keys) { keys.forEach(function (key) { caches.delete(key); }); });
      }
      return;
    }
    if (navigator.onLine || (form.method || "").toLowerCase() !== "post" || !main.contains(form)) {
      return;
    }
    var data = new FormData(form);
    var entries = [];
    var hasFile = false;
    data.forEach(function (value, name) {
      if (typeof value === "string") {
        entries.push([name, value]);
      } else if (value && value.size) {
        hasFile = true;
      }
    });
    if (hasFile) {
      return; // a file cannot be kept: the offline page tells to try again later
    }
    event.preventDefault();
    var items = load();
    items.push({ action: form.action, entries: entries, label: labelOf(entries), at: Date.now() });
    save(items);
    form.reset();
    var clientId = form.querySelector('input[name="client_id"]');
    if (clientId) {
      clientId.value = newId(); // the next message typed here is another one
    }
    render("Vous êtes hors connexion : ce sera envoyé dès le retour du réseau.");
  }, true);

  // --- send what waits, in order, when online ----------------------------------------------------
  var flushing = false;

  function flush() {
    if (flushing || !navigator.onLine || !load().length) {
      return;
    }
    flushing = true;
    var sent = 0;
    var refused = 0;

    function next() {
      var items = load();
      if (!items.length) {
        return Promise.resolve();
      }
      var item = items[0];
      var body = new FormData();
      item.entries.forEach(function (pair) { body.append(pair[0], pair[1]); });
      return fetch(item.action, { method: "POST", body: body, credentials: "same-origin" }).then(function (response) {
        if (response.status >= 500) {
          throw new Error("server");
        }
        if (response.ok) {
          sent += 1;
        } else {
          refused += 1;
        }
        save(load().slice(1));
        return next();
      });
    }

    next().catch(function () {
      // Still unreachable: try again at the next "online" event or page load.
    }).then(function () {
      flushing = false;
      var notice = "";
      if (sent) {
        notice = sent > 1 ? sent + " envois en attente sont partis." : "Votre envoi en attente est parti.";
      }
      if (refused) {
        notice += " " + refused + " envoi(s) refusé(s) : vérifiez et recommencez.";
      }
      render(notice.trim());
      if (sent && !load().length) {
        window.location.reload();
      }
    });
  }

  window.addEventListener("online", function () { showBanner(); flush(); });
  window.addEventListener("offline", showBanner);
  showBanner();
  render("");
  flush();
})();

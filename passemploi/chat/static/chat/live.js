/* Live conversation: listens to /ws/events/ and, when the open conversation changes, fetches
   the thread partial (only the new messages, or the whole thread after an edit, a deletion or a
   read receipt). Without a socket it polls the same partial every 10 seconds. */
(function () {
  "use strict";
  var thread = document.getElementById("chat-thread");
  if (!thread || !thread.dataset.liveUrl) {
    return;
  }
  var url = thread.dataset.liveUrl;
  var conversation = thread.dataset.conversation;
  var announce = document.getElementById("chat-annonce");
  var POLL_MS = 10000;
  var RETRY_MS = 30000;
  var pollTimer = null;
  var busy = false;
  var pending = false; // something changed during a fetch: refresh once more after it

  function lastSeq() {
    var items = thread.querySelectorAll("[data-seq]");
    return items.length ? parseInt(items[items.length - 1].dataset.seq, 10) : 0;
  }

  function nearBottom() {
    return window.innerHeight + window.scrollY >= document.body.scrollHeight - 200;
  }

  function fetchHtml(query) {
    return fetch(url + query, {
      credentials: "same-origin",
      headers: { "HX-Request": "true" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.text();
    });
  }

  function announceIncoming(count) {
    if (count && announce) {
      announce.textContent = count === 1
        ? "Nouveau message reçu."
        : count + " nouveaux messages reçus.";
    }
  }

  function isIncoming(item) {
    return !document.getElementById(item.id) &&
      !item.classList.contains("pe-chat__message--own");
  }

  function settle(stick) {
    if (stick && thread.lastElementChild) {
      thread.lastElementChild.scrollIntoView({ block: "nearest" });
    }
  }

  function run(task) {
    if (busy) {
      pending = true;
      return Promise.resolve();
    }
    busy = true;
    return task()
      .catch(function () {})
      .then(function () {
        busy = false;
        if (pending) {
          pending = false;
          refreshAll();
        }
      });
  }

  // Only the messages after the last one shown (a new message).
  function appendNew() {
    return run(function () {
      var stick = nearBottom();
      return fetchHtml("?after=" + lastSeq()).then(function (html) {
        var box = document.createElement("ol");
        box.innerHTML = html;
        var added = box.querySelectorAll("li[data-seq]");
        if (!added.length) {
          return;
        }
        var empty = thread.querySelector("[data-empty]");
        if (empty) {
          empty.remove();
        }
        var incoming = 0;
        added.forEach(function (item) {
          if (!document.getElementById(item.id)) {
            incoming += isIncoming(item) ? 1 : 0;
            thread.appendChild(item);
          }
        });
        announceIncoming(incoming);
        settle(stick);
      });
    });
  }

  // The whole thread again (edits, deletions, read receipts, anything missed); while the user
  // is editing a message in it, only the new messages, so their typing is never lost.
  function refreshAll() {
    if (thread.querySelector("details[open]") || thread.contains(document.activeElement)) {
      return appendNew();
    }
    return run(function () {
      var stick = nearBottom();
      return fetchHtml("").then(function (html) {
        var box = document.createElement("ol");
        box.innerHTML = html;
        var incoming = 0;
        box.querySelectorAll("li[data-seq]").forEach(function (item) {
          incoming += isIncoming(item) ? 1 : 0;
        });
        thread.innerHTML = html;
        announceIncoming(incoming);
        settle(stick);
      });
    });
  }

  function startPolling() {
    if (!pollTimer) {
      pollTimer = window.setInterval(refreshAll, POLL_MS);
    }
  }

  function stopPolling() {
    if (pollTimer) {
      window.clearInterval(pollTimer);
      pollTimer = null;
    }
  }

  function connect() {
    if (!("WebSocket" in window)) {
      startPolling();
      return;
    }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket;
    try {
      socket = new WebSocket(scheme + window.location.host + "/ws/events/");
    } catch (error) {
      startPolling();
      return;
    }
    socket.addEventListener("open", function () {
      stopPolling();
      refreshAll(); // whatever was missed before or while disconnected
    });
    socket.addEventListener("message", function (event) {
      var data;
      try {
        data = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (!data || data.conversation_id !== conversation) {
        return;
      }
      if (data.type === "message.created") {
        appendNew();
      } else if (
        data.type === "message.updated" ||
        data.type === "message.deleted" ||
        data.type === "conversation.read"
      ) {
        refreshAll();
      }
    });
    socket.addEventListener("close", function () {
      startPolling();
      window.setTimeout(connect, RETRY_MS);
    });
  }

  startPolling();
  connect();
})();

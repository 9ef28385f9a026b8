// "Postuler" opens the employer's page in a new tab; back on this tab, reload the offer so
// the "Avez-vous postulé ?" question shows.
(function () {
  var left = false;
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-apply-link]")) {
      left = true;
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (left && document.visibilityState === "visible") {
      left = false;
      window.location.reload();
    }
  });
})();

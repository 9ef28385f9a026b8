// "Imprimer" buttons of the attendance sheet (no inline script: the CSP forbids it).
document.querySelectorAll("[data-pe-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

// Forms, the same on every page (progressive enhancement: every form works without this script).
// - After a failed save the error summary ([data-error-summary]) takes the focus, so a screen reader reads it first;
//   a link in it moves the focus to its field (found through the message its aria-describedby names, or by name).
// - A form with data-confirm (or a submit button with data-confirm) asks before it is sent.
// - While a form is sent its submit buttons are disabled and the one pressed shows a spinner.
// - A button with data-print prints the page.
(function () {
  "use strict";

  function controlFor(key) {
    const message = document.querySelector('[id="error-' + key.toLowerCase().replace(/[^a-z0-9_-]/g, "_") + '"]');
    const described = message && document.querySelector('[aria-describedby~="' + message.id + '"]');
    if (described) return described;
    const byName = Array.from(document.querySelectorAll("input[name], select[name], textarea[name]"))
      .find(function (control) { return control.name.toLowerCase() === key.toLowerCase(); });
    return byName || null;
  }

  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      const link = event.target.closest("a[data-error-for]");
      if (!link) return;
      const control = controlFor(link.dataset.errorFor);
      if (control) {
        event.preventDefault();
        control.focus();
        control.scrollIntoView({ block: "center" });
      }
    });
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    const submitter = event.submitter;
    const question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (event.defaultPrevented || form.dataset.noBusy !== undefined) return;
    // Disabled after the browser has read the form, so the pressed button's name and value are still sent.
    window.setTimeout(function () {
      form.setAttribute("aria-busy", "true");
      form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
      if (submitter && submitter.tagName === "BUTTON") {
        submitter.setAttribute("aria-busy", "true");
        const spinner = document.createElement("span");
        spinner.className = "spinner-border spinner-border-sm ms-1";
        spinner.setAttribute("role", "status");
        spinner.setAttribute("data-testid", "saving");
        const label = document.createElement("span");
        label.className = "visually-hidden";
        label.textContent = document.documentElement.lang.startsWith("zh") ? "正在保存…" : "Saving…";
        spinner.appendChild(label);
        submitter.appendChild(spinner);
      }
    }, 0);
  });

  // A "Print" button (receipts, decision reports): the print stylesheet in site.css leaves the content only.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });

  // Back to a page from the browser's cache: its buttons work again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[aria-busy=true]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      form.querySelectorAll("[disabled]").forEach(function (button) { button.disabled = false; });
      form.querySelectorAll("[data-testid=saving]").forEach(function (spinner) { spinner.remove(); });
    });
  });
})();

// Times are rendered on the server in China Standard Time (UTC+8) and carry their UTC instant in
// <time datetime>. Here they are rewritten in the viewer's own time zone, with the zone named.
(function () {
  const lang = document.documentElement.lang || undefined;
  for (const element of document.querySelectorAll("time.local-time[datetime]")) {
    const instant = new Date(element.getAttribute("datetime"));
    if (Number.isNaN(instant.getTime())) continue;
    const dateOnly = element.dataset.format === "date";
    const options = dateOnly
      ? { year: "numeric", month: "2-digit", day: "2-digit" }
      : { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
    element.title = element.textContent.trim();
    element.textContent = new Intl.DateTimeFormat(lang, options).format(instant);
  }
})();

// Behaviour that used to be inline (the Content-Security-Policy allows no inline script or on* handler):
// data-select-on-click selects a field's text; data-copy-from copies a field; data-width-percent sets a bar's width
// (no style attributes either). Forms and buttons with data-confirm ask in forms.js (asking here too asked twice).
(function () {
  for (const field of document.querySelectorAll("[data-select-on-click]")) {
    field.addEventListener("click", function () { field.select(); });
  }
  for (const button of document.querySelectorAll("[data-copy-from]")) {
    button.addEventListener("click", function () {
      const field = document.getElementById(button.dataset.copyFrom);
      if (field && navigator.clipboard) navigator.clipboard.writeText(field.value);
    });
  }
  for (const bar of document.querySelectorAll("[data-width-percent]")) {
    bar.style.width = Math.max(0, Math.min(100, parseFloat(bar.dataset.widthPercent) || 0)) + "%";
  }
})();

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

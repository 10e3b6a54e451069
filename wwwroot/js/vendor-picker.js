// The consortium partner picker: as a vendor types into an input with data-vendor-picker="<url>", the registered
// vendor organisations whose name, English name or identifier contains the text fill the input's <datalist>, by name
// (the English name and the identifier as the option's label). The server resolves the chosen name on saving, so the
// field works without this script too.
(function () {
  "use strict";
  let timer = null;
  let controller = null;

  function fill(list, vendors) {
    list.replaceChildren();
    const seen = new Set();
    vendors.forEach(function (vendor) {
      // Two organisations with the same name: offer the identifier, which is unique.
      const value = seen.has(vendor.name) || vendors.filter(function (v) { return v.name === vendor.name; }).length > 1 ? vendor.slug : vendor.name;
      seen.add(vendor.name);
      const option = document.createElement("option");
      option.value = value;
      option.label = [vendor.name !== value ? vendor.name : null, vendor.nameEn, vendor.slug].filter(Boolean).join(" · ");
      list.appendChild(option);
    });
  }

  document.addEventListener("input", function (event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.vendorPicker || !input.list) return;
    const text = input.value.trim();
    window.clearTimeout(timer);
    if (text.length === 0) return;
    timer = window.setTimeout(function () {
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(input.dataset.vendorPicker + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" }, signal: controller.signal })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (vendors) { fill(input.list, vendors); })
        .catch(function () { /* a newer request replaced this one, or the network failed: the field still takes a name */ });
    }, 200);
  });
})();

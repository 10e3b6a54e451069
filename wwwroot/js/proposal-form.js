// The proposal form's milestone rows: add, remove, renumber, and the running total of the payment shares.
(function () {
  const body = document.querySelector("#milestones tbody");
  const total = document.getElementById("share-total");
  function renumber() {
    body.querySelectorAll("tr.milestone-row").forEach(function (row, index) {
      row.querySelectorAll("input").forEach(function (input) {
        input.name = input.name.replace(/Milestones\[\d+\]/, "Milestones[" + index + "]");
      });
    });
    let sum = 0;
    body.querySelectorAll("input.share").forEach(function (input) { sum += parseFloat(input.value) || 0; });
    total.textContent = Math.round(sum * 100) / 100;
    total.parentElement.classList.toggle("text-danger", Math.abs(sum - 100) > 0.001);
  }
  document.getElementById("add-milestone").addEventListener("click", function () {
    const rows = body.querySelectorAll("tr.milestone-row");
    if (rows.length >= 12) return;
    const copy = rows[rows.length - 1].cloneNode(true);
    copy.querySelectorAll("input").forEach(function (input) { input.value = ""; input.classList.remove("is-invalid"); });
    copy.querySelectorAll(".invalid-feedback").forEach(function (span) { span.textContent = ""; });
    body.appendChild(copy);
    renumber();
  });
  body.addEventListener("click", function (event) {
    const button = event.target.closest(".remove-milestone");
    if (!button) return;
    const rows = body.querySelectorAll("tr.milestone-row");
    if (rows.length > 1) { button.closest("tr").remove(); } else { rows[0].querySelectorAll("input").forEach(function (input) { input.value = ""; }); }
    renumber();
  });
  body.addEventListener("input", renumber);
  renumber();
})();

(function () {
  "use strict";
  var table = document.getElementById("repository-table");
  var rows = Array.prototype.slice.call(table.tBodies[0].rows).filter(function (r) { return r.hasAttribute("data-verdict"); });
  var text = document.getElementById("filter-text");
  var verdict = document.getElementById("filter-verdict");
  var count = document.getElementById("filter-count");
  function applyFilters() {
    var needle = text.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (r) {
      var ok = (!needle || r.textContent.toLowerCase().indexOf(needle) !== -1) &&
               (!verdict.value || r.getAttribute("data-verdict") === verdict.value);
      r.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length;
  }
  [text, verdict].forEach(function (el) {
    el.addEventListener("input", applyFilters);
    el.addEventListener("change", applyFilters);
  });
  sortableTable(table, rows);
  applyFilters();
  table.setAttribute("data-interactive", "yes");
})();

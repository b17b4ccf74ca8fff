(function () {
  "use strict";
  var table = document.getElementById("repository-table");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows).filter(function (r) { return r.hasAttribute("data-verdict"); });
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
  // Sort by a column: click, or Enter/Space on the focused header (each header is in the tab order).
  var headers = table.tHead.rows[0].cells;
  function sortBy(th, column) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var numeric = th.getAttribute("data-type") === "number";
    function key(r) {
      var cell = r.cells[column];
      var value = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
      return numeric ? parseFloat(value) : value.toLowerCase();
    }
    rows.sort(function (a, b) {
      var ka = key(a), kb = key(b);
      var order = ka < kb ? -1 : ka > kb ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  Array.prototype.forEach.call(headers, function (th, column) {
    th.tabIndex = 0;
    th.title = "Sort by " + th.textContent.toLowerCase();
    th.addEventListener("click", function () { sortBy(th, column); });
    th.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
        event.preventDefault();
        sortBy(th, column);
      }
    });
  });
  applyFilters();
  table.setAttribute("data-interactive", "yes");
})();

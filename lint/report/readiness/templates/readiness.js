(function () {
  "use strict";
  var table = document.getElementById("findings");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows).filter(function (r) { return r.hasAttribute("data-level"); });
  var text = document.getElementById("filter-text");
  var level = document.getElementById("filter-level");
  var category = document.getElementById("filter-category");
  var root = document.getElementById("filter-root");
  var count = document.getElementById("filter-count");
  function applyFilters() {
    var needle = text.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (r) {
      var roots = r.getAttribute("data-roots").split(", ");
      var ok = (!needle || r.textContent.toLowerCase().indexOf(needle) !== -1) &&
               (!level.value || r.getAttribute("data-level") === level.value) &&
               (!category.value || r.getAttribute("data-category") === category.value) &&
               (!root.value || roots.indexOf(root.value) !== -1);
      r.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length;
  }
  [text, level, category, root].forEach(function (el) {
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
  // A link to a folded root (#root-N) opens it.
  function openTarget() {
    var target = document.getElementById(window.location.hash.replace(/^#/, ""));
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  // Printing shows every root; the folded ones fold again afterwards.
  var folded = [];
  window.addEventListener("beforeprint", function () {
    folded = Array.prototype.filter.call(document.querySelectorAll("details.root"), function (d) { return !d.open; });
    folded.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () { folded.forEach(function (d) { d.open = false; }); });
  // Shareable views: #filter=TEXT&level=error&sort=COLUMN (a header index; sorted once, ascending).
  var params = {};
  window.location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
    var at = pair.indexOf("=");
    if (at > 0) { params[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1)); }
  });
  if (params.filter) { text.value = params.filter; }
  if (params.level) { level.value = params.level; }
  if (params.category) { category.value = params.category; }
  if (params.root) { root.value = params.root; }
  if (params.sort && headers[+params.sort]) { sortBy(headers[+params.sort], +params.sort); }
  openTarget();
  applyFilters();
  table.setAttribute("data-interactive", "yes");
})();

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
  var headers = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headers, function (th, column) {
    th.addEventListener("click", function () {
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
    });
  });
  // Shareable views: #filter=TEXT&level=error&sort=COLUMN (a header index; clicked once, ascending).
  var params = {};
  window.location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
    var at = pair.indexOf("=");
    if (at > 0) { params[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1)); }
  });
  if (params.filter) { text.value = params.filter; }
  if (params.level) { level.value = params.level; }
  if (params.category) { category.value = params.category; }
  if (params.root) { root.value = params.root; }
  if (params.sort && headers[+params.sort]) { headers[+params.sort].click(); }
  applyFilters();
  table.setAttribute("data-interactive", "yes");
})();

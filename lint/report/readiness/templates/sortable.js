// Sort a table's rows (those given) by a column: click, or Enter/Space on the
// focused header (each header is in the tab order). A cell's data-sort, else its
// text, is the key; a header with data-type="number" sorts numbers. Returns
// sortBy(th, column) for a page that sorts on its own (a shared link).
function sortableTable(table, rows) {
  "use strict";
  var body = table.tBodies[0];
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
  return sortBy;
}

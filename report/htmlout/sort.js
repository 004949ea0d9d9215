// Click a column header (or press Enter or Space on it) to sort the table by
// that column; columns marked data-num sort as numbers, others as text.
(function () {
  "use strict";
  // number reads the first number in a cell: "1 234", "12.5 %", "≥ 50",
  // "−2.8" (Unicode minus). Cells without one ("not detected") sort first.
  function number(text) {
    var t = text.replace(/[\s\u00a0\u202f,]/g, "").replace(/\u2212/g, "-");
    var m = t.match(/-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/);
    return m ? parseFloat(m[0]) : -Infinity;
  }
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      th.setAttribute("tabindex", "0");
      th.setAttribute("title", "Sort by this column");
      var numeric = th.hasAttribute("data-num");
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.map.call(body.rows, function (r, i) {
          var cell = r.cells[col], text = cell ? cell.textContent.trim() : "";
          return { row: r, i: i, key: numeric ? number(text) : text };
        });
        rows.sort(function (a, b) {
          var d = numeric ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : collator.compare(a.key, b.key);
          return (asc ? d : -d) || a.i - b.i;
        });
        rows.forEach(function (r) { body.appendChild(r.row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  });
})();

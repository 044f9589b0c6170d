// The searchable picker (docs/design.md): a filter box over a list of check boxes, the rows of
// a table, or the options of a <select multiple>. Typing hides the items whose text does not contain every
// typed word; the footer counts the chosen ones. Without JavaScript the whole list shows and
// still works.
(function () {
  "use strict";
  function setUp(picker) {
    var filter = picker.querySelector("[data-picker-filter]");
    var items = Array.prototype.slice.call(picker.querySelectorAll("li[data-text], tr[data-text], select[multiple] option"));
    var count = picker.querySelector("[data-picker-count]");
    var nothing = picker.querySelector("[data-picker-nothing]");
    function refresh() {
      var words = (filter ? filter.value : "").toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (li) {
        var text = li.getAttribute("data-text") || li.textContent.toLowerCase();
        var hit = words.every(function (w) { return text.indexOf(w) !== -1; });
        li.hidden = !hit && !li.selected;
        if (hit) { shown += 1; }
      });
      if (nothing) { nothing.hidden = shown > 0 || items.length === 0; }
      if (count) { count.textContent = picker.querySelectorAll("input[type=checkbox]:checked, option:checked").length; }
    }
    if (filter) {
      filter.addEventListener("input", refresh);
      // Enter in the filter box must not submit the whole form.
      filter.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); } });
    }
    picker.addEventListener("change", refresh);
    refresh();
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-picker]"), setUp);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();

/* idmeet site: filters on the action list and search in the decision list. The pages work
   without it: the action list links a page per owner, series and status. */
(function () {
  "use strict";
  function count(form, shown, total) {
    var out = form.querySelector("output");
    if (out) { out.textContent = shown + " van " + total; }
  }
  var filter = document.getElementById("filter");
  var list = document.getElementById("actions");
  if (filter && list) {
    var cards = Array.prototype.slice.call(list.children);
    var params = new URLSearchParams(window.location.search);
    ["owner", "series", "status"].forEach(function (name) {
      if (params.get(name)) { filter.elements[name].value = params.get(name); }
    });
    if (params.get("overdue") === "ja") { filter.elements.overdue.checked = true; }
    var apply = function () {
      var owner = filter.elements.owner.value, series = filter.elements.series.value;
      var status = filter.elements.status.value, overdue = filter.elements.overdue.checked;
      var shown = 0;
      cards.forEach(function (card) {
        var ok = (!owner || (" " + card.dataset.owners).indexOf(" " + owner + " ") >= 0) &&
          (!series || card.dataset.series === series) &&
          (!status || (status === "open-of-wacht" ? (card.dataset.status === "open" || card.dataset.status === "waiting") : card.dataset.status === status)) &&
          (!overdue || card.dataset.overdue === "ja");
        card.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count(filter, shown, cards.length);
    };
    filter.addEventListener("change", apply);
    filter.hidden = false;
    apply();
  }
  var search = document.getElementById("search");
  var decisions = document.getElementById("decisions");
  if (search && decisions) {
    var items = Array.prototype.slice.call(decisions.children);
    var find = function () {
      var words = search.elements.q.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var text = item.textContent.toLowerCase();
        var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
        item.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count(search, shown, items.length);
    };
    search.addEventListener("input", find);
    search.addEventListener("submit", function (event) { event.preventDefault(); });
    search.hidden = false;
    find();
  }
})();

// A filter box above long selects of units and people (select[data-filter]): type part of a name,
// with or without Vietnamese diacritics, and the options narrow. Selected options always stay visible.
(function () {
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function attach(select) {
    if (select.dataset.filterReady) return;
    select.dataset.filterReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.dataset.filterPlaceholder || "Gõ để lọc…";
    // Not the select's own label: "Đơn vị chủ trì" must still name the select alone.
    box.setAttribute("aria-label", "Gõ để lọc danh sách bên dưới");
    select.parentNode.insertBefore(box, select);
    var options = Array.prototype.slice.call(select.options).map(function (o) { return [o, fold(o.text)]; });
    box.addEventListener("input", function () {
      var words = fold(box.value).split(/\s+/).filter(Boolean);
      options.forEach(function (pair) {
        var show = pair[0].selected || pair[0].value === "" || words.every(function (w) { return pair[1].indexOf(w) !== -1; });
        pair[0].hidden = !show;
      });
    });
  }
  function init(root) {
    (root || document).querySelectorAll("select[data-filter]").forEach(attach);
  }
  document.addEventListener("DOMContentLoaded", function () { init(); });
  document.addEventListener("htmx:afterSwap", function (e) { init(e.target); });
})();

// Corridor analyst UI: small progressive enhancements; every page works without them.
(function () {
  "use strict";
  function each(selector, fn) { document.querySelectorAll(selector).forEach(fn); }

  // filters that apply as soon as they change
  each("[data-autosubmit]", function (el) {
    el.addEventListener("change", function () { if (el.form) { el.form.submit(); } });
  });

  // forms that ask first
  each("form[data-confirm]", function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // bulk selection in the alert queue
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=alert]"));
  var all = document.querySelector("[data-select-all]");
  var count = document.querySelector("[data-selected-count]");
  var submit = document.querySelector("[data-needs-selection]");
  function refresh() {
    var n = boxes.filter(function (b) { return b.checked; }).length;
    if (count) { count.textContent = String(n); }
    if (submit) { submit.disabled = n === 0; }
    if (all) { all.checked = n > 0 && n === boxes.length; all.indeterminate = n > 0 && n < boxes.length; }
  }
  boxes.forEach(function (b) { b.addEventListener("change", refresh); });
  if (all) {
    all.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = all.checked; });
      refresh();
    });
  }
  refresh();

  // "go back" links on error pages
  each("[data-back]", function (link) {
    link.addEventListener("click", function (event) {
      if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
    });
  });
})();

/* Staff pages' small helpers (no framework, no inline script: the CSP allows 'self' only).
   - A unit picker's filter box narrows its <select> to the units whose name, code or group
     contains the words typed (a multiple picker hides the others and keeps its choices).
   - A "select all" checkbox ticks every checkbox of the same name in its form. */
(function () {
  "use strict";

  function matches(option, words, groupLabel) {
    if (!words) return true;
    var text = (option.textContent + " " + option.value + " " + groupLabel).toLowerCase();
    return text.indexOf(words) !== -1;
  }

  // A multiple picker keeps its options and hides those that do not match, so what was
  // chosen stays chosen (and submitted) while the list is narrowed.
  function setUpMultipleFilter(input, select) {
    input.hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var shown = 0;
        Array.prototype.forEach.call(group.children, function (option) {
          option.hidden = !matches(option, words, group.label);
          if (!option.hidden) shown += 1;
        });
        group.hidden = shown === 0;
      });
    });
  }

  function setUpFilter(input) {
    var select = document.getElementById(input.getAttribute("data-unit-filter"));
    if (!select) return;
    if (select.multiple) return setUpMultipleFilter(input, select);
    var original = Array.prototype.map.call(select.children, function (node) {
      return node.cloneNode(true);
    });
    input.hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase();
      var chosen = select.value;
      var first = null;
      select.replaceChildren();
      original.forEach(function (node) {
        if (node.tagName === "OPTGROUP") {
          var group = node.cloneNode(false);
          Array.prototype.forEach.call(node.children, function (option) {
            if (matches(option, words, node.label)) {
              group.appendChild(option.cloneNode(true));
              first = first || option.value;
            }
          });
          if (group.children.length) select.appendChild(group);
        } else if (!node.value || matches(node, words, "")) {
          select.appendChild(node.cloneNode(true));
          if (node.value) first = first || node.value;
        }
      });
      select.value = chosen;
      if (select.value !== chosen || !chosen) select.value = words && first ? first : "";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function setUpSelectAll(box) {
    var name = box.getAttribute("data-select-all");
    var scope = box.form || document;
    box.hidden = false;
    box.addEventListener("change", function () {
      scope.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (c) {
        c.checked = box.checked;
      });
    });
  }

  // A menu wider than a phone scrolls sideways: bring its current entry into view, so the
  // page one is on shows in the menu (the collection and campaign submenus have ten entries).
  function showCurrentEntry(menu) {
    var current = menu.querySelector('[aria-current="page"]');
    if (!current || menu.scrollWidth <= menu.clientWidth) return;
    var box = menu.getBoundingClientRect(), entry = current.getBoundingClientRect();
    var offset = menu.scrollLeft + entry.left - box.left;
    menu.scrollLeft = Math.max(0, offset - (menu.clientWidth - entry.width) / 2);
  }

  function start() {
    document.querySelectorAll("nav.menu").forEach(showCurrentEntry);
    document.querySelectorAll("input[data-unit-filter]").forEach(setUpFilter);
    document.querySelectorAll("input[data-select-all]").forEach(setUpSelectAll);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

// Territory suggestions from /api/recherche as the user types (ARIA 1.2 combobox); every form works without it.
// - input[data-autocomplete]: search boxes; choosing a suggestion opens the territory's page.
// - input[data-territoire="commune,epci"]: form fields; choosing writes « Nom (code) », which the server reads back.
//   With data-multiple, the choice replaces the entry after the last « ; ».
(function () {
  "use strict";
  var counter = 0;

  function attach(input) {
    var picker = input.hasAttribute("data-territoire");
    var multiple = input.getAttribute("data-multiple") === "true";
    var list = document.createElement("ul");
    counter += 1;
    list.className = "autocomplete";
    list.id = (input.id || "territoire-" + counter) + "-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    var holder = input.parentNode;
    if (getComputedStyle(holder).position === "static") holder.style.position = "relative";
    holder.appendChild(list);
    var timer = null, active = -1, controller = null, items = [];

    function close() {
      list.hidden = true; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function current() {
      return multiple ? input.value.split(";").pop().trim() : input.value.trim();
    }
    function choose(index) {
      var item = items[index];
      if (!picker) { window.location = item.url; return; }
      var text = item.nom + " (" + item.code + ")";
      if (multiple) {
        var parts = input.value.split(";"); parts.pop();
        parts = parts.map(function (p) { return p.trim(); }).filter(Boolean);
        parts.push(text);
        input.value = parts.join(" ; ") + " ; ";
      } else {
        input.value = text;
      }
      close();
      input.focus();
    }
    function highlight(index) {
      active = index;
      list.querySelectorAll("[role=option]").forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      if (active >= 0) input.setAttribute("aria-activedescendant", list.id + "-" + active);
    }
    function render(results) {
      items = results;
      list.innerHTML = "";
      results.forEach(function (item, index) {
        var li = document.createElement("li");
        var option = document.createElement(picker ? "span" : "a");
        if (!picker) option.href = item.url;
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = item.nom + " — " + item.contexte + " (" + item.code + ")";
        // A suggestion of a search box is a link the browser follows; a field's suggestion fills the field.
        if (picker) option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(index); });
        li.appendChild(option);
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = current();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        if (controller) controller.abort();
        controller = new AbortController();
        var url = "/api/recherche?limit=8&q=" + encodeURIComponent(q);
        if (picker) url += "&niveau=" + encodeURIComponent(input.getAttribute("data-territoire"));
        fetch(url, { signal: controller.signal })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(render)
          .catch(function () {});
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden || !items.length) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        highlight((active + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  document.querySelectorAll("input[data-autocomplete], input[data-territoire]").forEach(attach);
})();

// Territory search suggestions: asks /api/recherche as the user types; the form works without it.
(function () {
  "use strict";
  function attach(input) {
    var list = document.createElement("ul");
    list.className = "autocomplete";
    list.id = input.id + "-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-autocomplete", "list");
    input.parentNode.appendChild(list);
    var timer = null, active = -1, controller = null;

    function close() { list.hidden = true; active = -1; }
    function render(items) {
      list.innerHTML = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.url;
        a.setAttribute("role", "option");
        a.textContent = item.nom + " — " + item.contexte + " (" + item.code + ")";
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      active = -1;
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        if (controller) controller.abort();
        controller = new AbortController();
        fetch("/api/recherche?limit=8&q=" + encodeURIComponent(q), { signal: controller.signal })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(render)
          .catch(function () {});
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      var links = list.querySelectorAll("a");
      if (list.hidden || !links.length) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : -1) + links.length) % links.length;
        links.forEach(function (l, i) { l.setAttribute("aria-selected", i === active ? "true" : "false"); });
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location = links[active].href;
      } else if (event.key === "Escape") {
        close();
      }
    });
    document.addEventListener("click", function (event) { if (!input.parentNode.contains(event.target)) close(); });
  }
  document.querySelectorAll("input[data-autocomplete]").forEach(attach);
})();

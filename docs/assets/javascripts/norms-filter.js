// 工作规范 / Norms index: a choice of whom a clause binds (the offices and roles of the clauses' scope lines)
// that hides the other rows of every tab's table. Loaded by overrides/norms-index.html, whose <script> tag
// carries the interface strings of the page's language (data-* attributes). Each row names its offices and
// roles in data-audiences (one per line; hooks/handbook/support.py). Without JavaScript the page reads as
// before: the tabs filter by how long a clause binds.
(function () {
  "use strict";
  var script = document.currentScript;
  var text = script ? script.dataset : {};

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
  }
  function audiencesOf(row) {
    return (row.getAttribute("data-audiences") || "").split("\n").filter(Boolean);
  }

  function setUp(section, index) {
    var rows = Array.prototype.slice.call(section.querySelectorAll("tr[data-audiences]"));
    var names = [];
    rows.forEach(function (row) {
      audiencesOf(row).forEach(function (name) { if (names.indexOf(name) < 0) names.push(name); });
    });
    if (!names.length) return;
    var form = document.createElement("p");
    form.className = "hb-norms-filter";
    var label = document.createElement("label");
    var id = "hb-audience-" + (index + 1);
    label.setAttribute("for", id);
    label.textContent = text.label || "";
    var select = document.createElement("select");
    select.id = id;
    var every = document.createElement("option");
    every.value = "";
    every.textContent = text.all || "";
    select.appendChild(every);
    names.forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      option.textContent = name;
      select.appendChild(option);
    });
    var status = document.createElement("span");
    status.className = "hb-norms-filter-status";
    status.setAttribute("role", "status");
    form.appendChild(label);
    form.appendChild(select);
    form.appendChild(status);
    section.insertBefore(form, section.firstChild);

    // The count is of distinct clauses shown (the first tab lists every clause once).
    var everyTable = section.querySelector(".tabbed-block table");
    function apply() {
      var chosen = select.value;
      rows.forEach(function (row) {
        row.hidden = Boolean(chosen) && audiencesOf(row).indexOf(chosen) < 0;
      });
      var shown = everyTable ? everyTable.querySelectorAll("tr[data-audiences]:not([hidden])").length : 0;
      status.textContent = chosen ? fill(text.count, { count: shown, audience: chosen }) : "";
    }
    select.addEventListener("change", apply);
    apply();
  }

  Array.prototype.forEach.call(document.querySelectorAll(".hb-clause-list"), setUp);
})();

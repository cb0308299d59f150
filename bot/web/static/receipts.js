// Refreshes a notice's receipts every few seconds without reloading the page.
// Served by the project itself (no CDN); the page works without it, only less live.
(function () {
  "use strict";
  var table = document.getElementById("receipts");
  if (!table) { return; }
  var url = table.getAttribute("data-url");
  function apply(data) {
    document.getElementById("confirmed").textContent = data.confirmed;
    document.getElementById("total").textContent = data.total;
    data.groups.forEach(function (g) {
      var row = table.querySelector('tr[data-group="' + CSS.escape(g.key) + '"]');
      if (!row) { return; }
      row.querySelector(".state").textContent = g.state;
      row.querySelector(".confirm").textContent = g.confirmed_at ? (g.confirmed_by + " " + g.confirmed_at) : "未确认";
      row.className = g.confirmed_at ? "ok" : "";
    });
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { apply(data); } })
      .catch(function () { /* offline for a moment: try again next round */ })
      .finally(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 3000);
})();

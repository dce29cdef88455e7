/* The portal's only script; every page works without it. Loaded with defer from base.html (CSP: 'self'). */
(function () {
  "use strict";

  // Errors: focus the summary so a screen reader reads it first; its links move focus to the field itself.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus();
    });
  }

  // Tables: every cell gets the name of its column (data-label), so that on a narrow screen the rows become cards
  // that say what each value is (portal.css, .table--cards). Header cells spanning columns count for each of them.
  document.querySelectorAll("main table").forEach(function (table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) return;
    var names = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      for (var span = 0; span < (cell.colSpan || 1); span++) names.push(cell.textContent.replace(/\s+/g, " ").trim());
    });
    Array.prototype.forEach.call(table.tBodies, label);
    if (table.tFoot) label(table.tFoot);
    table.classList.add("table--cards");
    // Shown as blocks, a table may lose its table semantics in some browsers (Safari): say them in ARIA as well.
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot"), function (group) {
      group.setAttribute("role", "rowgroup");
      Array.prototype.forEach.call(group.rows, function (row) {
        row.setAttribute("role", "row");
        Array.prototype.forEach.call(row.cells, function (cell) {
          var header = cell.tagName === "TH";
          var scope = cell.getAttribute("scope") || (group.tagName === "THEAD" ? "col" : "row");
          cell.setAttribute("role", header ? (scope === "col" ? "columnheader" : "rowheader") : "cell");
        });
      });
    });
    function label(section) {
      Array.prototype.forEach.call(section.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var name = names[column];
          if (name && cell.tagName === "TD" && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", name);
          if (!cell.textContent.trim() && !cell.querySelector("img, svg, input, select, button")) cell.classList.add("cell--blank");
          column += cell.colSpan || 1;
        });
      });
    }
  });

  // Unsaved changes: a warning when leaving a changed form any other way than by sending it. Every form that
  // sends with POST (a form that only searches or filters sends with GET); a form opts out with data-no-warn.
  var dirty = false;
  document.querySelectorAll("form").forEach(function (form) {
    if (form.method !== "post" || form.hasAttribute("data-no-warn")) return;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // Security keys (allauth's webauthn.js, on the /konto/ pages): their buttons work only with JavaScript, so they are
  // shown by it; a key that failed or was cancelled is told on the page, not only in the console.
  document.querySelectorAll("[data-needs-js]").forEach(function (element) { element.hidden = false; });
  document.addEventListener("allauth.error", function (event) {
    var box = document.querySelector("[data-webauthn-error]");
    if (!box) return;
    event.preventDefault();
    box.textContent = box.getAttribute("data-message");
    box.hidden = false;
  });

  // Session expiry: two minutes before the idle limit, a banner with a button that keeps the session alive.
  var body = document.body;
  var seconds = parseInt(body.getAttribute("data-session-seconds") || "", 10);
  var keepAlive = body.getAttribute("data-session-keepalive");
  var banner = document.getElementById("session-warning");
  if (!seconds || !keepAlive || !banner) return;
  var timer;
  function schedule(after) {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      banner.hidden = false;
      var button = banner.querySelector("button");
      if (button) button.focus();
    }, Math.max(after - 120, 0) * 1000);
  }
  banner.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    window.fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (response.status !== 204) { form.submit(); return; }
        banner.hidden = true;
        schedule(seconds);
      })
      .catch(function () { form.submit(); });
  });
  schedule(seconds);
})();

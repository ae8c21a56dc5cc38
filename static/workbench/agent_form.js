// The agent change form's live description check and "try a query" box.
// Sends the form's current (unsaved) text to the admin's JSON endpoints; renders findings.
(function () {
  "use strict";
  function $(id) { return document.getElementById(id); }
  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function lines(id) {
    var el = $(id);
    return el ? el.value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean) : [];
  }
  function draft() {
    var caps = $("id_capabilities");
    var capabilities = [];
    try { capabilities = caps && caps.value.trim() ? JSON.parse(caps.value) : []; } catch (e) { capabilities = []; }
    return {
      slug: ($("id_slug") || {}).value || "",
      name: ($("id_name") || {}).value || "",
      description: ($("id_description") || {}).value || "",
      capabilities: Array.isArray(capabilities) ? capabilities.filter(function (c) { return typeof c === "string"; }) : [],
      examples: lines("id_examples"),
      counter_examples: lines("id_counter_examples"),
    };
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body),
    }).then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); });
  }
  function text(tag, cls, content) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (content !== undefined) el.textContent = content;
    return el;
  }
  function renderFindings(panel, result) {
    panel.innerHTML = "";
    panel.appendChild(text("h3", "", "Description check"));
    if (!result.ok) { panel.appendChild(text("p", "errornote", JSON.stringify(result.data))); return; }
    var findings = result.data.findings;
    if (!findings.length) { panel.appendChild(text("p", "wb-badge wb-good", "No findings: routing has what it needs.")); return; }
    findings.forEach(function (f) {
      var row = text("div", "wb-finding wb-" + f.code.replace("_", "-"));
      row.setAttribute("data-code", f.code);
      row.appendChild(text("span", "wb-code", f.code.replace("_", " ") + ": "));
      row.appendChild(text("span", "", f.message));
      row.appendChild(text("span", "wb-fix", "Fix: " + f.fix));
      panel.appendChild(row);
    });
  }
  function renderRoute(out, result) {
    out.innerHTML = "";
    if (!result.ok) { out.appendChild(text("p", "errornote", JSON.stringify(result.data))); return; }
    var d = result.data;
    out.appendChild(text("p", "wb-route-result", "Level " + d.level + " → " + (d.agents.join(", ") || "no agent")));
    var table = text("table", "wb-scores");
    d.candidates.slice(0, 5).forEach(function (c) {
      var tr = document.createElement("tr");
      tr.appendChild(text("td", "", c.slug));
      tr.appendChild(text("td", "", c.score.toFixed(2)));
      tr.appendChild(text("td", "", c.reason));
      table.appendChild(tr);
    });
    out.appendChild(table);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var description = $("id_description");
    if (!description || !document.body.classList.contains("change-form")) return;
    var base = window.location.pathname.replace(/(\d+\/change|add)\/?$/, "");
    var panel = text("div", "wb-panel");
    panel.id = "wb-check";
    description.parentNode.appendChild(panel);
    var timer = null;
    function check() { post(base + "check/", draft()).then(function (r) { renderFindings(panel, r); }); }
    ["id_name", "id_description", "id_examples", "id_counter_examples", "id_capabilities"].forEach(function (id) {
      var el = $(id);
      if (el) el.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 300); });
    });
    check();

    var examples = $("id_examples");
    if (!examples) return;
    var box = text("div", "wb-panel wb-try");
    box.appendChild(text("h3", "", "Try a query (routes with this form's unsaved text)"));
    var input = document.createElement("input");
    input.type = "text"; input.id = "wb-try-query"; input.placeholder = "e.g. a request a user would type";
    var button = text("button", "button", "Route it");
    button.type = "button"; button.id = "wb-try-run";
    var out = text("div", ""); out.id = "wb-try-result";
    box.appendChild(input); box.appendChild(button); box.appendChild(out);
    examples.parentNode.appendChild(box);
    button.addEventListener("click", function () {
      post(base + "try/", Object.assign(draft(), { query: input.value })).then(function (r) { renderRoute(out, r); });
    });
  });
})();

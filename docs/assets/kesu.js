/* kesu: call-time tools on top of generated pages that read fine without this script.
 * It holds no content: every label, criterion and deadline comes from the generated HTML.
 *  - fill and copy: [data-slot] inputs fill .kesu-slot spans; .kesu-copy copies a script's text
 *  - triage: checked criteria pick the highest .kesu-level section
 *  - deadlines: a received time turns table rows into absolute due times
 */
(function () {
  "use strict";

  var STORE_KEY = "kesu-slots"; // sessionStorage only: customer details never outlive the tab

  function readValues() {
    try { return JSON.parse(sessionStorage.getItem(STORE_KEY)) || {}; } catch (e) { return {}; }
  }

  function saveValues(values) {
    try { sessionStorage.setItem(STORE_KEY, JSON.stringify(values)); } catch (e) { /* storage off */ }
  }

  function renderSlots(values) {
    document.querySelectorAll(".kesu-slot").forEach(function (slot) {
      var name = slot.getAttribute("data-slot");
      var value = (values[name] || "").trim();
      var fallback = slot.getAttribute("data-fallback");
      slot.textContent = value || (fallback !== null ? fallback : "{" + name + "}");
      slot.classList.toggle("is-filled", Boolean(value));
      slot.classList.toggle("is-fallback", !value && fallback !== null);
    });
  }

  function scriptText(block) {
    var copy = block.cloneNode(true);
    copy.querySelectorAll("button").forEach(function (b) { b.remove(); });
    var parts = [];
    var subject = copy.querySelector(".kesu-subject");
    if (subject) parts.push("主题：" + subject.textContent.trim());
    copy.querySelectorAll(".kesu-stage").forEach(function (label) { label.remove(); });
    copy.querySelectorAll("br").forEach(function (br) { br.replaceWith("\n"); });
    copy.querySelectorAll("p").forEach(function (p) {
      var text = p.textContent.trim();
      if (text) parts.push(text);
    });
    return parts.join("\n\n");
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Fallback for pages opened from file:// in browsers without the async clipboard.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    area.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function announce(message) {
    var live = document.getElementById("kesu-announce");
    if (!live) {
      live = document.createElement("div");
      live.id = "kesu-announce";
      live.className = "kesu-visually-hidden";
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      document.body.appendChild(live);
    }
    live.textContent = message;
  }

  function setupFillAndCopy() {
    var form = document.querySelector("form.kesu-fill");
    var values = readValues();
    if (form) {
      form.hidden = false;
      var inputs = form.querySelectorAll("input[data-slot]");
      inputs.forEach(function (input) {
        input.value = values[input.getAttribute("data-slot")] || "";
        input.addEventListener("input", function () {
          values[input.getAttribute("data-slot")] = input.value;
          saveValues(values);
          renderSlots(values);
        });
      });
      form.querySelector(".kesu-clear").addEventListener("click", function () {
        values = {};
        try { sessionStorage.removeItem(STORE_KEY); } catch (e) { /* storage off */ }
        inputs.forEach(function (input) { input.value = ""; });
        renderSlots(values);
        announce("已清空顾客信息");
        if (inputs.length) inputs[0].focus();
      });
      form.addEventListener("submit", function (event) { event.preventDefault(); });
    }
    renderSlots(values);
    document.querySelectorAll(".kesu-copy").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var block = button.closest(".kesu-script");
        copyText(scriptText(block)).then(function () {
          button.textContent = "已复制";
          button.classList.add("is-done");
          announce("已复制到剪贴板");
          setTimeout(function () { button.textContent = "复制"; button.classList.remove("is-done"); }, 2000);
        }, function () {
          announce("复制失败，请手动选择文字复制");
        });
      });
    });
  }

  function setupTriage() {
    var form = document.querySelector("form.kesu-triage");
    if (!form) return;
    var sections = Array.prototype.slice.call(document.querySelectorAll(".kesu-level"));
    function rankOf(level) {
      var section = sections.find(function (s) { return s.getAttribute("data-level") === level; });
      return section ? Number(section.getAttribute("data-rank")) : 0;
    }
    function update() {
      var rank = 0;
      form.querySelectorAll("input[data-level]:checked").forEach(function (box) {
        rank = Math.max(rank, rankOf(box.getAttribute("data-level")));
      });
      sections.forEach(function (section) {
        section.hidden = Number(section.getAttribute("data-rank")) !== rank;
      });
    }
    form.addEventListener("change", update);
    update();
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function formatDate(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) +
      " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function nextWeekday(from, weekday) {
    var d = new Date(from.getFullYear(), from.getMonth(), from.getDate() + 1);
    while (d.getDay() !== weekday) d.setDate(d.getDate() + 1);
    return d;
  }

  function nextMonthday(from, day) {
    var d = new Date(from.getFullYear(), from.getMonth(), day);
    if (d <= from || d.getDate() !== day) d = new Date(from.getFullYear(), from.getMonth() + 1, day);
    return d;
  }

  function dueDate(row, received) {
    if (row.hasAttribute("data-minutes")) {
      return new Date(received.getTime() + Number(row.getAttribute("data-minutes")) * 60000);
    }
    if (row.hasAttribute("data-weekday")) return nextWeekday(received, Number(row.getAttribute("data-weekday")));
    if (row.hasAttribute("data-monthday")) return nextMonthday(received, Number(row.getAttribute("data-monthday")));
    return null;
  }

  function setupDeadlines() {
    var form = document.querySelector("form.kesu-deadlines");
    if (!form) return;
    form.hidden = false;
    var input = form.querySelector("input[type=datetime-local]");
    function update() {
      var received = input.value ? new Date(input.value) : null;
      document.querySelectorAll(".kesu-deadline-table tbody tr").forEach(function (row) {
        var due = received && !isNaN(received) ? dueDate(row, received) : null;
        var cell = row.querySelector(".kesu-due");
        cell.textContent = due ? (row.hasAttribute("data-minutes") ? formatDate(due) : formatDate(due).slice(0, 10)) : "—";
      });
    }
    input.addEventListener("input", update);
    input.addEventListener("change", update);
    update();
  }

  function start() {
    setupFillAndCopy();
    setupTriage();
    setupDeadlines();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

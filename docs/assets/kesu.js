/* kesu: call-time tools on top of generated pages that read fine without this script.
 * It holds no content: every label, criterion and deadline comes from the generated HTML.
 *  - fill and copy: [data-slot] inputs fill .kesu-slot spans; .kesu-copy copies a script's text
 *  - triage: checked criteria pick the highest .kesu-level section
 *  - deadlines: a received time turns table rows into absolute due times
 *  - quizzes: choosing an option shows 回答正确/回答错误 and the explanation; a score at the end
 *  - learning progress: ticks kept in localStorage, with a reset
 *  - glossary: terms from window.KESU_GLOSSARY (assets/glossary.js) get a hover definition
 *  - linked script stages: a link to #script-... (from search) opens the tab that holds the stage
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

  function setupQuizzes() {
    document.querySelectorAll("form.kesu-quiz").forEach(function (form) {
      var questions = form.querySelectorAll(".kesu-question");
      var score = form.querySelector(".kesu-score");
      function showScore() {
        var answered = form.querySelectorAll(".kesu-question.is-answered").length;
        var right = form.querySelectorAll(".kesu-question.is-right").length;
        score.textContent = answered === questions.length
          ? "得分：" + right + " / " + questions.length + (right === questions.length ? "，全部正确！" : "。答错的题可以点“去学习”复习。")
          : "已答 " + answered + " / " + questions.length + " 题";
      }
      questions.forEach(function (fieldset) {
        var answer = fieldset.querySelector(".kesu-answer");
        var feedback = fieldset.querySelector(".kesu-feedback");
        answer.hidden = true;
        fieldset.addEventListener("change", function (event) {
          var right = event.target.value === fieldset.getAttribute("data-correct");
          fieldset.classList.add("is-answered");
          fieldset.classList.toggle("is-right", right);
          fieldset.classList.toggle("is-wrong", !right);
          var explanation = answer.querySelector("p").cloneNode(true);
          feedback.replaceChildren();
          var verdict = document.createElement("strong");
          verdict.textContent = right ? "回答正确。" : "回答错误。";
          feedback.append(verdict, " ", explanation);
          showScore();
        });
      });
      form.addEventListener("reset", function () {
        questions.forEach(function (fieldset) {
          fieldset.classList.remove("is-answered", "is-right", "is-wrong");
          fieldset.querySelector(".kesu-feedback").replaceChildren();
        });
        setTimeout(showScore, 0); // after the browser has cleared the radios
      });
      showScore();
    });
  }

  var PROGRESS_KEY = "kesu-progress";

  function setupProgress() {
    var boxes = document.querySelectorAll(".kesu-progress input[data-module]");
    if (!boxes.length) return;
    var done;
    try { done = JSON.parse(localStorage.getItem(PROGRESS_KEY)) || {}; } catch (e) { done = {}; }
    var summary = document.querySelector(".kesu-progress-summary");
    function update() {
      if (!summary) return;
      var count = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      summary.hidden = false;
      summary.textContent = "已完成 " + count + " / " + boxes.length + " 个模块";
    }
    boxes.forEach(function (box) {
      box.closest(".kesu-progress").hidden = false;
      box.checked = Boolean(done[box.getAttribute("data-module")]);
      box.addEventListener("change", function () {
        done[box.getAttribute("data-module")] = box.checked;
        try { localStorage.setItem(PROGRESS_KEY, JSON.stringify(done)); } catch (e) { /* storage off */ }
        update();
      });
    });
    var reset = document.querySelector(".kesu-progress-reset");
    if (reset) {
      reset.hidden = false;
      reset.addEventListener("click", function () {
        done = {};
        try { localStorage.removeItem(PROGRESS_KEY); } catch (e) { /* storage off */ }
        boxes.forEach(function (box) { box.checked = false; });
        update();
      });
    }
    update();
  }

  function setupGlossary() {
    var terms = window.KESU_GLOSSARY;
    var article = document.querySelector("article.md-content__inner");
    if (!terms || !article) return;
    // Longest first, so that 一般投诉 is marked rather than 投诉 inside it; each term once per page.
    var names = Object.keys(terms).sort(function (a, b) { return b.length - a.length; });
    var skip = "a, abbr, code, pre, h1, h2, h3, button, label, input, textarea, script, style, svg, .kesu-slot, .kesu-script";
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var seen = {};
    nodes.forEach(function (node) {
      names.forEach(function (name) {
        if (seen[name] || !node.parentNode) return;
        var index = node.data.indexOf(name);
        if (index < 0) return;
        seen[name] = true;
        var rest = node.splitText(index);
        rest.splitText(name.length);
        var abbr = document.createElement("abbr");
        abbr.title = terms[name];
        abbr.textContent = name;
        rest.replaceWith(abbr);
        node = abbr.nextSibling && abbr.nextSibling.nodeType === 3 ? abbr.nextSibling : node;
      });
    });
  }

  /* Material opens a content tab only for a link to the tab itself; search results link to the
   * script stage inside it (#script-phone-opening). */
  function showLinkedTab() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    var block = target && target.closest(".tabbed-block");
    if (!block) return;
    var index = Array.prototype.indexOf.call(block.parentNode.children, block);
    var input = block.closest(".tabbed-set").querySelectorAll(":scope > input")[index];
    if (input && !input.checked) input.click();
    target.scrollIntoView();
  }

  function start() {
    showLinkedTab();
    window.addEventListener("hashchange", showLinkedTab);
    setupFillAndCopy();
    setupTriage();
    setupDeadlines();
    setupQuizzes();
    setupProgress();
    setupGlossary();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

/* kesu: call-time tools on top of generated pages that read fine without this script.
 * It holds no content: every label, criterion and deadline comes from the generated HTML, and every
 * message it shows from assets/kesu-strings.js (kesuText, generated from generator/strings/zh-Hans.yml).
 *  - fill and copy: [data-slot] inputs fill .kesu-slot spans; .kesu-copy copies a script's text
 *  - triage: checked criteria pick the highest .kesu-level section
 *  - deadlines: a received time turns table rows into absolute due times; selects filter the rows
 *  - quizzes: the first option chosen counts and shows the verdict with the explanation; a score;
 *    answers kept in localStorage until the form is reset
 *  - learning progress: ticks kept in localStorage, with a reset
 *  - notes: answers typed in exercises ([data-note] textareas) kept in sessionStorage
 *  - glossary: terms from window.KESU_GLOSSARY (assets/glossary.js) get a hover definition
 *  - linked script stages: a link to #script-... (from search) opens the tab that holds the stage
 * Whatever storage holds may be garbage (another version, an extension, a hand edit): every read
 * checks the shape and falls back to empty, and each feature starts on its own, so one failure
 * leaves the others working.
 */
(function () {
  "use strict";

  var STORE_KEY = "kesu-slots"; // sessionStorage only: customer details never outlive the tab
  var MAX_STORED = 200000; // characters; anything longer is not something this script wrote
  var MAX_VALUE = 500; // characters of one stored text
  // The interface strings; without them (the asset failed to load) each message shows its id.
  var text = window.kesuText || function (id) { return id; };

  function isPlainObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  // The stored JSON object under key, or {} when storage is off or holds anything else.
  function readStored(storage, key) {
    try {
      var raw = storage.getItem(key);
      if (typeof raw !== "string" || raw.length > MAX_STORED) return {};
      var value = JSON.parse(raw);
      return isPlainObject(value) ? value : {};
    } catch (e) {
      return {};
    }
  }

  function writeStored(storage, key, value) {
    try { storage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage off or full */ }
  }

  function removeStored(storage, key) {
    try { storage.removeItem(key); } catch (e) { /* storage off */ }
  }

  // Only the entries whose value passes keep(value); a fresh object without a prototype, so that
  // keys such as __proto__ stay plain data.
  function entriesWhere(object, keep) {
    var out = Object.create(null);
    Object.keys(object).forEach(function (key) {
      if (keep(object[key])) out[key] = object[key];
    });
    return out;
  }

  function sessionStore() { try { return window.sessionStorage; } catch (e) { return null; } }
  function localStore() { try { return window.localStorage; } catch (e) { return null; } }

  function readValues() {
    var store = sessionStore();
    if (!store) return Object.create(null);
    return entriesWhere(readStored(store, STORE_KEY), function (value) {
      return typeof value === "string" && value.length <= MAX_VALUE;
    });
  }

  function saveValues(values) {
    var store = sessionStore();
    if (store) writeStored(store, STORE_KEY, values);
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
    if (subject) parts.push(text("copy.subject", { subject: subject.textContent.trim() }));
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
        values = Object.create(null);
        if (sessionStore()) removeStored(sessionStore(), STORE_KEY);
        inputs.forEach(function (input) { input.value = ""; });
        renderSlots(values);
        announce(text("fill.cleared"));
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
          button.textContent = text("copy.done");
          button.classList.add("is-done");
          announce(text("copy.announced"));
          setTimeout(function () { button.textContent = text("copy.button"); button.classList.remove("is-done"); }, 2000);
        }, function () {
          announce(text("copy.failed"));
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

  // The deadline arithmetic is window.kesuDates (assets/kesu-dates.js, loaded before this script;
  // its source, tested by Node, is generator/js/kesu-dates.mjs).
  function deadlineRule(row) {
    var rule = {};
    ["minutes", "weekday", "monthday"].forEach(function (name) {
      if (row.hasAttribute("data-" + name)) rule[name] = Number(row.getAttribute("data-" + name));
    });
    return rule;
  }

  function setupDeadlines() {
    var form = document.querySelector("form.kesu-deadlines");
    if (!form) return;
    form.hidden = false;
    var input = form.querySelector("input[type=datetime-local]");
    function update() {
      var received = input.value ? new Date(input.value) : null;
      document.querySelectorAll(".kesu-deadline-table tbody tr").forEach(function (row) {
        row.querySelector(".kesu-due").textContent = window.kesuDates.dueText(deadlineRule(row), received);
      });
    }
    input.addEventListener("input", update);
    input.addEventListener("change", update);
    update();
    setupDeadlineFilter(form);
  }

  // The option (with a value) whose id, label or one of its data-aliases is name; null for none.
  function optionNamed(options, name) {
    if (!name) return null;
    return Array.prototype.find.call(options, function (o) {
      var names = [o.value, o.textContent.trim()].concat((o.getAttribute("data-aliases") || "").split("|"));
      return o.value && names.indexOf(name.trim()) >= 0;
    }) || null;
  }

  // Rows carry data-types (the types they serve); the category select narrows the type select.
  function setupDeadlineFilter(form) {
    var category = form.querySelector("#kesu-filter-category");
    var type = form.querySelector("#kesu-filter-type");
    if (!category || !type) return;
    var rows = Array.prototype.slice.call(document.querySelectorAll(".kesu-deadline-table tbody tr"));
    var count = form.querySelector(".kesu-filter-count");
    var empty = document.querySelector(".kesu-filter-empty");
    var options = Array.prototype.slice.call(type.options).filter(function (o) { return o.value; });
    function wanted() {
      if (type.value) return [type.value];
      if (!category.value) return null;
      return options.filter(function (o) { return o.getAttribute("data-category") === category.value; })
        .map(function (o) { return o.value; });
    }
    function update() {
      options.forEach(function (o) {
        o.hidden = Boolean(category.value) && o.getAttribute("data-category") !== category.value;
      });
      if (type.selectedOptions[0] && type.selectedOptions[0].hidden) type.value = "";
      var ids = wanted();
      var shown = 0;
      rows.forEach(function (row) {
        var served = (row.getAttribute("data-types") || "").split(" ").filter(Boolean);
        row.hidden = ids !== null && served.length > 0 && !served.some(function (id) { return ids.indexOf(id) >= 0; });
        if (!row.hidden) shown += 1;
      });
      if (count) {
        count.textContent = ids === null ? text("deadlines.count_all", { total: rows.length })
          : text("deadlines.count_shown", { shown: shown, total: rows.length });
      }
      if (empty) empty.hidden = shown > 0;
      document.querySelectorAll(".kesu-deadline-table").forEach(function (table) {
        table.hidden = !table.querySelector("tbody tr:not([hidden])");
      });
    }
    // A link such as /deadlines/?type=parcel-delayed or ?category=logistics opens the page filtered; a
    // category may also be named by its label (data-aliases, or the label this edition shows).
    var query = new URLSearchParams(window.location.search);
    var named = optionNamed(category.options, query.get("category"));
    if (options.some(function (o) { return o.value === query.get("type"); })) type.value = query.get("type");
    else if (named) category.value = named.value;
    category.addEventListener("change", function () { type.value = ""; update(); });
    type.addEventListener("change", update);
    update();
  }

  var QUIZ_KEY = "kesu-quiz";

  // {question name: {choice: index chosen first, correct: the right index when it was chosen}};
  // an entry whose right answer has changed since (the question was edited) is dropped.
  function readQuizAnswers() {
    var store = localStore();
    if (!store) return Object.create(null);
    return entriesWhere(readStored(store, QUIZ_KEY), function (entry) {
      return isPlainObject(entry) && typeof entry.choice === "number" && Math.floor(entry.choice) === entry.choice &&
        typeof entry.correct === "string";
    });
  }

  function saveQuizAnswers(answers) {
    var store = localStore();
    if (store) writeStored(store, QUIZ_KEY, answers);
  }

  function setupQuizzes() {
    var answers = readQuizAnswers();
    document.querySelectorAll("form.kesu-quiz").forEach(function (form) {
      var questions = form.querySelectorAll(".kesu-question");
      var score = form.querySelector(".kesu-score");
      function showScore() {
        if (!score) return;
        var answered = form.querySelectorAll(".kesu-question.is-answered").length;
        var right = form.querySelectorAll(".kesu-question.is-right").length;
        score.textContent = answered < questions.length
          ? text("quiz.progress", { answered: answered, total: questions.length })
          : text(right === questions.length ? "quiz.score_all_right" : "quiz.score", { right: right, total: questions.length });
      }
      function radiosOf(fieldset) { return fieldset.querySelectorAll("input[type=radio]"); }
      // The first choice is the answer: the question then locks, showing the verdict and explanation.
      function answer(fieldset, choice) {
        var correct = fieldset.getAttribute("data-correct");
        var right = String(choice) === correct;
        var feedback = fieldset.querySelector(".kesu-feedback");
        var explanation = fieldset.querySelector(".kesu-answer p");
        fieldset.classList.add("is-answered");
        fieldset.classList.toggle("is-right", right);
        fieldset.classList.toggle("is-wrong", !right);
        radiosOf(fieldset).forEach(function (radio) {
          radio.checked = radio.value === String(choice);
          radio.disabled = true;
          radio.closest("label").classList.toggle("is-correct-option", radio.value === correct);
        });
        var verdict = document.createElement("strong");
        verdict.textContent = text(right ? "quiz.right" : "quiz.wrong");
        feedback.replaceChildren(verdict, " ");
        if (explanation) feedback.append(explanation.cloneNode(true));
      }
      questions.forEach(function (fieldset) {
        var box = fieldset.querySelector(".kesu-answer");
        if (box) box.hidden = true;
        var name = radiosOf(fieldset).length ? radiosOf(fieldset)[0].name : "";
        var stored = name ? answers[name] : undefined;
        if (stored && stored.correct === fieldset.getAttribute("data-correct") &&
            stored.choice >= 0 && stored.choice < radiosOf(fieldset).length) {
          answer(fieldset, stored.choice);
        }
        fieldset.addEventListener("change", function (event) {
          if (fieldset.classList.contains("is-answered") || !event.target.matches("input[type=radio]")) return;
          var choice = Number(event.target.value);
          answer(fieldset, choice);
          if (name) {
            answers[name] = {choice: choice, correct: fieldset.getAttribute("data-correct")};
            saveQuizAnswers(answers);
          }
          showScore();
        });
      });
      form.addEventListener("reset", function () {
        questions.forEach(function (fieldset) {
          fieldset.classList.remove("is-answered", "is-right", "is-wrong");
          fieldset.querySelector(".kesu-feedback").replaceChildren();
          radiosOf(fieldset).forEach(function (radio) {
            radio.disabled = false;
            radio.closest("label").classList.remove("is-correct-option");
            delete answers[radio.name];
          });
        });
        saveQuizAnswers(answers);
        announce(text("quiz.cleared"));
        showScore(); // counts the classes just removed, not the radios the browser clears next
      });
      showScore();
    });
  }

  var PROGRESS_KEY = "kesu-progress";

  function setupProgress() {
    var boxes = document.querySelectorAll(".kesu-progress input[data-module]");
    if (!boxes.length) return;
    var store = localStore();
    var done = store ? entriesWhere(readStored(store, PROGRESS_KEY), function (value) { return typeof value === "boolean"; })
      : Object.create(null);
    var summary = document.querySelector(".kesu-progress-summary");
    function update() {
      if (!summary) return;
      var count = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      summary.hidden = false;
      summary.textContent = text("learn.progress", { done: count, total: boxes.length });
    }
    boxes.forEach(function (box) {
      box.closest(".kesu-progress").hidden = false;
      box.checked = Boolean(done[box.getAttribute("data-module")]);
      box.addEventListener("change", function () {
        done[box.getAttribute("data-module")] = box.checked;
        if (store) writeStored(store, PROGRESS_KEY, done);
        update();
      });
    });
    var reset = document.querySelector(".kesu-progress-reset");
    if (reset) {
      reset.hidden = false;
      reset.addEventListener("click", function () {
        done = Object.create(null);
        if (store) removeStored(store, PROGRESS_KEY);
        boxes.forEach(function (box) { box.checked = false; });
        update();
      });
    }
    update();
  }

  var NOTES_KEY = "kesu-notes"; // sessionStorage, like the slots: a trainee's notes stay with the tab

  function setupNotes() {
    var areas = document.querySelectorAll("textarea[data-note]");
    if (!areas.length) return;
    var notes = readStored(sessionStorage, NOTES_KEY);
    areas.forEach(function (area) {
      var key = area.getAttribute("data-note");
      area.value = typeof notes[key] === "string" ? notes[key] : "";
      area.addEventListener("input", function () {
        notes[key] = area.value;
        writeStored(sessionStorage, NOTES_KEY, notes);
      });
    });
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

  function setupLinkedTabs() {
    showLinkedTab();
    window.addEventListener("hashchange", function () {
      try { showLinkedTab(); } catch (e) { /* a malformed #fragment names no stage */ }
    });
  }

  // Material's search overlay is a role="dialog" without a name; screen readers announce it by this one.
  function nameSearchDialog() {
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", text("search.dialog"));
  }

  function start() {
    [setupLinkedTabs, setupFillAndCopy, setupTriage, setupDeadlines, setupQuizzes, setupProgress, setupNotes,
     setupGlossary, nameSearchDialog].forEach(function (setup) {
      try { setup(); } catch (e) { if (window.console) console.error("kesu:", e); }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

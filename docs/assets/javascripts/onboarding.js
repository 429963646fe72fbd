// 新人入职 / Onboarding: the first-week checklist remembers its ticks and the self-test counts a score,
// both in this browser's localStorage only (no server; works from file:// in the offline zip too).
// Loaded by overrides/onboarding.html, whose <script> tag carries the interface strings of the page's
// language (data-* attributes). Without JavaScript the page reads as before: disabled boxes, answers
// behind their question.
(function () {
  "use strict";
  var script = document.currentScript;
  var text = script ? script.dataset : {};
  var STORE = "hb-onboarding";

  // The saved state, or an empty one; a browser that refuses storage (a private window) still works.
  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORE) || "{}");
      return { checks: saved.checks || {}, answers: saved.answers || {} };
    } catch (error) {
      return { checks: {}, answers: {} };
    }
  }
  function save(state) {
    try {
      window.localStorage.setItem(STORE, JSON.stringify(state));
    } catch (error) { /* not kept: the page still works for this visit */ }
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
  }
  function element(tag, attributes, content) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (content) node.textContent = content;
    return node;
  }
  // An item's key: the clause IDs it links to, the same in both languages, so a tick is kept across them.
  function itemKey(item, index) {
    var ids = Array.prototype.map.call(item.querySelectorAll("a[href*='#']"), function (link) {
      return decodeURIComponent(link.getAttribute("href").split("#")[1]);
    });
    return ids.length ? ids.join("+") : "item-" + (index + 1);
  }

  var state = load();
  var article = document.querySelector("article");
  if (!article) return;

  // The checklist: the first task list of the page.
  var list = article.querySelector("ul.task-list");
  if (list) {
    var boxes = Array.prototype.slice.call(list.querySelectorAll("li.task-list-item input[type=checkbox]"));
    var progress = element("p", { "class": "hb-progress", "role": "status", "aria-live": "polite" });
    var reset = element("button", { "type": "button", "class": "md-button hb-reset" }, text.reset);
    var showProgress = function () {
      var done = boxes.filter(function (box) { return box.checked; }).length;
      progress.textContent = fill(text.progress, { done: done, total: boxes.length });
    };
    boxes.forEach(function (box, index) {
      var key = itemKey(box.closest("li"), index);
      box.removeAttribute("disabled");
      box.checked = !!state.checks[key];
      box.addEventListener("change", function () {
        if (box.checked) state.checks[key] = true; else delete state.checks[key];
        save(state);
        showProgress();
      });
    });
    reset.addEventListener("click", function () {
      boxes.forEach(function (box) { box.checked = false; });
      state.checks = {};
      save(state);
      showProgress();
    });
    var controls = element("div", { "class": "hb-onboarding-controls" });
    controls.appendChild(progress);
    controls.appendChild(reset);
    controls.appendChild(element("p", { "class": "hb-kept-here" }, text.kept));
    list.parentNode.insertBefore(controls, list.nextSibling);
    showProgress();
  }

  // The self-test: each question (a collapsed admonition) gets an answer box before it opens and, once
  // opened, a "right / not yet" self-mark; the score counts the marks.
  var questions = Array.prototype.slice.call(article.querySelectorAll("details.question"));
  if (!questions.length) return;
  var score = element("p", { "class": "hb-score", "role": "status", "aria-live": "polite" });
  var again = element("button", { "type": "button", "class": "md-button hb-reset" }, text.again);
  var marks = [];
  var showScore = function () {
    var answered = 0, right = 0;
    questions.forEach(function (_, index) {
      var mark = state.answers[String(index + 1)];
      if (mark === undefined) return;
      answered += 1;
      if (mark) right += 1;
    });
    score.textContent = fill(text.score, { right: right, answered: answered, total: questions.length });
    marks.forEach(function (update) { update(); });
  };
  questions.forEach(function (question, index) {
    var number = String(index + 1);
    var answerId = "hb-answer-" + number;
    var box = element("div", { "class": "hb-answer" });
    box.appendChild(element("label", { "for": answerId }, fill(text.answer, { number: number })));
    box.appendChild(element("textarea", { "id": answerId, "rows": "2" }));
    question.parentNode.insertBefore(box, question);

    var mark = element("div", { "class": "hb-mark", "role": "group", "aria-label": fill(text.markGroup, { number: number }) });
    var right = element("button", { "type": "button", "class": "md-button" }, text.right);
    var wrong = element("button", { "type": "button", "class": "md-button" }, text.wrong);
    mark.appendChild(right);
    mark.appendChild(wrong);
    question.appendChild(mark);
    var choose = function (value) {
      state.answers[number] = value;
      save(state);
      showScore();
    };
    right.addEventListener("click", function () { choose(true); });
    wrong.addEventListener("click", function () { choose(false); });
    marks.push(function () {
      var value = state.answers[number];
      right.setAttribute("aria-pressed", String(value === true));
      wrong.setAttribute("aria-pressed", String(value === false));
    });
  });
  again.addEventListener("click", function () {
    state.answers = {};
    save(state);
    article.querySelectorAll(".hb-answer textarea").forEach(function (area) { area.value = ""; });
    questions.forEach(function (question) { question.open = false; });
    showScore();
  });
  var summary = element("div", { "class": "hb-onboarding-controls" });
  summary.appendChild(score);
  summary.appendChild(again);
  var last = questions[questions.length - 1];
  last.parentNode.insertBefore(summary, last.nextSibling);
  showScore();
})();

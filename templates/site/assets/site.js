/* coursegen lesson site: progress, predict-before-reveal, self-scoring quizzes.
 * Vanilla JS, no network. Every piece of course text is already in the page as escaped
 * HTML; this script only toggles visibility and writes short messages with textContent,
 * so transcript text can never turn into markup here.
 */
(function () {
  "use strict";

  var dataNode = document.getElementById("page-data");
  var page = {};
  try {
    page = JSON.parse(dataNode ? dataNode.textContent : "{}") || {};
  } catch (err) {
    page = {};
  }
  var courseId = page.course || "course";
  var storageKey = "coursegen:" + courseId + ":progress";

  /* localStorage can throw on file:// or in private modes: fall back to memory. */
  var memory = {};
  function openStorage() {
    try {
      var store = window.localStorage;
      var probe = "coursegen:probe";
      store.setItem(probe, "1");
      store.removeItem(probe);
      return store;
    } catch (err) {
      return null;
    }
  }
  var storage = openStorage();

  function loadProgress() {
    var raw = null;
    try {
      raw = storage ? storage.getItem(storageKey) : memory[storageKey];
    } catch (err) {
      raw = memory[storageKey];
    }
    var value = null;
    try {
      value = raw ? JSON.parse(raw) : null;
    } catch (err) {
      value = null;
    }
    if (!value || typeof value !== "object") value = {};
    if (!value.lessons || typeof value.lessons !== "object") value.lessons = {};
    return value;
  }

  function saveProgress(progress) {
    var raw = JSON.stringify(progress);
    memory[storageKey] = raw;
    try {
      if (storage) storage.setItem(storageKey, raw);
    } catch (err) {
      /* quota or privacy mode: keep the in-memory copy */
    }
  }

  function lessonRecord(progress, lessonId) {
    var rec = progress.lessons[lessonId];
    if (!rec || typeof rec !== "object") {
      rec = {};
      progress.lessons[lessonId] = rec;
    }
    return rec;
  }

  /* ---------- answers ---------- */

  function normalize(text) {
    var s = String(text || "").toLowerCase();
    if (s.normalize) s = s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    s = s.replace(/[^\p{L}\p{N}]+/gu, " ").trim();
    s = s.replace(/^(the|a|an) /, "");
    return s;
  }

  function fieldFor(fieldset, suffix) {
    var name = fieldset.getAttribute("data-q");
    return fieldset.querySelectorAll("[name$='-" + name + (suffix || "") + "']");
  }

  function checkedValue(inputs) {
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].checked) return inputs[i].value;
    }
    return null;
  }

  /* Returns "right", "wrong" or "blank". */
  function judge(fieldset, spec) {
    var kind = spec.kind;
    if (kind === "mcq" || kind === "true_false") {
      var picked = checkedValue(fieldFor(fieldset));
      if (picked === null) return "blank";
      var expected = kind === "mcq" ? String(spec.answer) : (spec.answer === true ? "0" : "1");
      return picked === expected ? "right" : "wrong";
    }
    if (kind === "cloze") {
      var typed = fieldFor(fieldset)[0];
      var value = typed ? typed.value : "";
      if (!normalize(value)) return "blank";
      return normalize(value) === normalize(spec.answer) ? "right" : "wrong";
    }
    /* short answer: the learner grades themselves against the model answer */
    var self = checkedValue(fieldFor(fieldset, "-self"));
    if (self === "yes") return "right";
    if (self === "no") return "wrong";
    return "blank";
  }

  function showFeedback(fieldset, verdict, spec) {
    var feedback = fieldset.querySelector(".feedback");
    var verdictNode = fieldset.querySelector(".verdict");
    var key = fieldset.querySelector(".answer-key");
    var pointers = fieldset.querySelector(".pointers");
    fieldset.classList.remove("is-right", "is-wrong", "is-blank");
    fieldset.classList.add("is-" + verdict);
    if (verdict === "right") {
      verdictNode.textContent = "Correct.";
    } else if (verdict === "blank" && spec.kind === "short") {
      verdictNode.textContent = "Not marked yet: show the model answer and say whether you had it.";
    } else if (verdict === "blank") {
      verdictNode.textContent = "Not answered.";
    } else {
      verdictNode.textContent = "Not quite.";
    }
    if (pointers) pointers.hidden = verdict === "right";
    if (spec.kind === "short") {
      setModelAnswer(fieldset, true);
    } else if (key) {
      key.hidden = verdict === "right";
    }
    if (feedback) feedback.hidden = false;
  }

  /* Show or hide a short answer's model answer; once seen, the learner can mark themselves. */
  function setModelAnswer(fieldset, open) {
    var button = fieldset.querySelector(".show-model");
    var key = fieldset.querySelector(".answer-key");
    var choice = fieldset.querySelector(".grade-choice");
    if (button) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.textContent = open ? "Hide the model answer" : "Show the model answer";
    }
    if (key) key.hidden = !open;
    if (choice && open) choice.hidden = false;
  }

  function resetFeedback(fieldset) {
    fieldset.classList.remove("is-right", "is-wrong", "is-blank");
    var feedback = fieldset.querySelector(".feedback");
    if (feedback) feedback.hidden = true;
  }

  function setupShortAnswers(form) {
    var buttons = form.querySelectorAll(".show-model");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        setModelAnswer(button.closest("fieldset"), button.getAttribute("aria-expanded") !== "true");
      });
    });
  }

  /* ---------- lesson page ---------- */

  /* The idea stays closed until the learner has guessed: an answer printed right below the
   * question invites reading it instead of guessing. It opens at once for a learner who guessed
   * on an earlier visit, and for a link into it (a quiz's pointer back, a shared #anchor).
   * Without JavaScript nothing is closed. */
  function setupIdeaGate() {
    var idea = document.getElementById("idea");
    var waiting = document.getElementById("idea-waiting");
    if (!idea || !document.getElementById("commit-guess")) return function () {};
    /* The check-yourself questions quote what the idea says: shown before the guess, they
       would give the reveal away, so they open with it. */
    var gated = [idea, document.getElementById("check")].filter(Boolean);
    function open() {
      gated.forEach(function (node) { node.hidden = false; });
      if (waiting) waiting.hidden = true;
    }
    function targetsIdea(hash) {
      var id = hash ? decodeURIComponent(hash.slice(1)) : "";
      var node = id ? document.getElementById(id) : null;
      return !!node && gated.some(function (part) { return part.contains(node); });
    }
    var record = page.lesson ? loadProgress().lessons[page.lesson] : null;
    if (!(record && record.predicted) && !targetsIdea(window.location.hash)) {
      gated.forEach(function (node) { node.hidden = true; });
      if (waiting) waiting.hidden = false;
    }
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
      if (link && targetsIdea(link.getAttribute("href"))) open();
    });
    window.addEventListener("hashchange", function () {
      if (targetsIdea(window.location.hash)) open();
    });
    return open;
  }

  function setupPrediction() {
    var openIdea = setupIdeaGate();
    var button = document.getElementById("commit-guess");
    var reveal = document.getElementById("reveal");
    if (!button || !reveal) return;
    button.addEventListener("click", function () {
      var guess = document.getElementById("guess");
      var yours = reveal.querySelector(".your-guess");
      var text = guess ? guess.value.trim() : "";
      if (yours) {
        yours.hidden = !text;
        yours.querySelector("span").textContent = text;
      }
      reveal.hidden = false;
      openIdea();
      button.setAttribute("aria-expanded", "true");
      button.disabled = true;
      button.textContent = "Answer revealed below";
      reveal.focus();
      if (page.lesson) {
        var progress = loadProgress();
        lessonRecord(progress, page.lesson).predicted = true;
        saveProgress(progress);
      }
    });
  }

  function showLessonStatus() {
    var node = document.getElementById("lesson-status");
    if (!node || !page.lesson) return;
    var rec = loadProgress().lessons[page.lesson];
    if (!rec || rec.best === undefined) return;
    node.textContent = rec.done
      ? "You completed this lesson (" + rec.best + " of " + rec.total + ")."
      : "Your best score so far: " + rec.best + " of " + rec.total + ".";
    node.classList.toggle("is-done", !!rec.done);
    node.hidden = false;
  }

  function setupLessonQuiz(form) {
    var specs = page.questions || {};
    setupShortAnswers(form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var total = 0;
      var right = 0;
      var fieldsets = form.querySelectorAll("fieldset.question");
      Array.prototype.forEach.call(fieldsets, function (fieldset) {
        var spec = specs[fieldset.getAttribute("data-q")];
        if (!spec) return;
        total += 1;
        var verdict = judge(fieldset, spec);
        if (verdict === "right") right += 1;
        showFeedback(fieldset, verdict, spec);
      });
      var score = form.querySelector(".score");
      var message = "You scored " + right + " of " + total + ".";
      var complete = right === total && total > 0;
      if (complete) {
        message += " Lesson complete.";
      } else {
        message += " Each missed question shows where to look again.";
      }
      score.textContent = message;
      var onward = document.querySelector(".pager a.next");
      if (complete && onward) {
        /* The step after a pass is the next lesson (or the overview after the last one). */
        var step = document.createElement("a");
        step.href = onward.getAttribute("href");
        step.className = "next-step";
        step.textContent = onward.getAttribute("rel") === "next"
          ? "Next step: " + onward.lastChild.textContent
          : "You finished the ramp: back to the overview";
        score.appendChild(document.createTextNode(" "));
        score.appendChild(step);
      }
      if (page.lesson) {
        var progress = loadProgress();
        var rec = lessonRecord(progress, page.lesson);
        rec.best = Math.max(rec.best || 0, right);
        rec.total = total;
        if (right === total && total > 0) rec.done = true;
        saveProgress(progress);
        showLessonStatus();
      }
    });
  }

  /* ---------- index page ---------- */

  function lessonIndex(lessonId) {
    var lessons = page.lessons || [];
    for (var i = 0; i < lessons.length; i++) {
      if (lessons[i].id === lessonId) return i;
    }
    return -1;
  }

  /* "· completed" / "· started" next to every lesson link that carries a status mark. */
  function showMarks(progress) {
    var marks = document.querySelectorAll("[data-status-for]");
    Array.prototype.forEach.call(marks, function (mark) {
      var rec = progress.lessons[mark.getAttribute("data-status-for")] || {};
      var started = rec.best !== undefined || rec.predicted;
      mark.textContent = rec.done ? " · completed" : (started ? " · started" : "");
    });
  }

  function showProgress() {
    var lessons = page.lessons || [];
    showMarks(loadProgress());
    if (!lessons.length) return;
    var progress = loadProgress();
    var done = 0;
    lessons.forEach(function (lesson) {
      var rec = progress.lessons[lesson.id] || {};
      var state = rec.done ? "done" : (rec.best !== undefined || rec.predicted ? "started" : "");
      if (rec.done) done += 1;
      var nodes = document.querySelectorAll("[data-lesson='" + CSS.escape(lesson.id) + "']");
      Array.prototype.forEach.call(nodes, function (node) {
        node.classList.toggle("is-done", state === "done");
        node.classList.toggle("is-started", state === "started");
        node.classList.remove("is-next");
      });
    });
    var start = Math.max(lessonIndex(progress.placementStart), 0);
    var next = null;
    for (var i = start; i < lessons.length; i++) {
      var r = progress.lessons[lessons[i].id];
      if (!r || !r.done) { next = lessons[i]; break; }
    }
    var bar = document.getElementById("course-progress");
    var text = document.getElementById("progress-text");
    if (bar) { bar.value = done; bar.textContent = done + " of " + lessons.length; }
    if (text) {
      text.textContent = "You have completed " + done + " of " + lessons.length + " lessons." +
        (progress.placementStart && lessonIndex(progress.placementStart) > 0
          ? " The placement quiz started you at lesson " + (start + 1) + "." : "");
    }
    var link = document.getElementById("next-step");
    if (link) {
      if (next) {
        link.href = next.file;
        link.textContent = "Lesson " + next.number + ": " + next.title;
        var nodes = document.querySelectorAll(".ramp-node[data-lesson='" + CSS.escape(next.id) + "']");
        Array.prototype.forEach.call(nodes, function (node) { node.classList.add("is-next"); });
      } else {
        link.href = lessons[lessons.length - 1].file;
        link.textContent = "You have finished the ramp: review the last lesson";
      }
    }
  }

  function setupPlacement(form) {
    var specs = page.placement || {};
    var lessons = page.lessons || [];
    setupShortAnswers(form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var missedAt = -1;
      var missed;  /* the spec of the earliest missed item */
      var furthest = -1;
      var right = 0;
      var total = 0;
      var fieldsets = form.querySelectorAll("fieldset.question");
      Array.prototype.forEach.call(fieldsets, function (fieldset) {
        var spec = specs[fieldset.getAttribute("data-q")];
        if (!spec) return;
        total += 1;
        var verdict = judge(fieldset, spec);
        var at = lessonIndex(spec.start);
        furthest = Math.max(furthest, lessonIndex(spec.tests || spec.start));
        if (verdict === "right") {
          right += 1;
          resetFeedback(fieldset);
        } else {
          showFeedback(fieldset, verdict, spec);
          if (missedAt < 0 || at < missedAt) {
            missedAt = at;
            missed = spec;
          }
        }
      });
      var startAt = missedAt >= 0 ? missedAt : Math.min(furthest + 1, lessons.length - 1);
      startAt = Math.max(startAt, 0);
      var target = lessons[startAt];
      var score = form.querySelector(".score");
      score.textContent = "";
      if (!target) return;
      var message = document.createElement("p");
      message.textContent = "You answered " + right + " of " + total + " correctly. Start at ";
      var link = document.createElement("a");
      link.href = target.file;
      link.className = "start-link";
      link.textContent = "Lesson " + target.number + ": " + target.title;
      message.appendChild(link);
      /* Why not the missed item's own lesson: the quiz asks nothing about the lessons before it. */
      message.appendChild(document.createTextNode(missed && missed.checks
        ? " (you missed a question on Lesson " + missed.checks + ", and the quiz asks nothing about " +
          missed.unchecked + ", so you start there)."
        : "."));
      score.appendChild(message);
      var progress = loadProgress();
      progress.placementStart = target.id;
      saveProgress(progress);
      showProgress();
    });
  }

  function start() {
    document.documentElement.classList.add("js");
    setupPrediction();
    var forms = document.querySelectorAll("form.quiz");
    Array.prototype.forEach.call(forms, function (form) {
      if (form.getAttribute("data-mode") === "placement") setupPlacement(form);
      else setupLessonQuiz(form);
    });
    showProgress();
    showLessonStatus();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

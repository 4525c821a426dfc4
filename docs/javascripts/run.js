/*
 * Run buttons: each example's "Try it" tab runs the example in this page,
 * with Python compiled to WebAssembly (Pyodide) in a Web Worker
 * (docs/run/worker.mjs). Nothing of Python is downloaded before the first Run
 * on a page; the buttons appear once the page has read run/runtime/examples.json,
 * which says which examples run here and, for the others, why not.
 *
 * The App and Try it code is editable; Run runs what is on the page, Reset puts
 * the file back. Stop ends the worker (and a run longer than RUN_LIMIT_SECONDS
 * is stopped the same way); the next Run starts Python again.
 *
 * tests/e2e/test_run_in_browser.py runs every example this way.
 */
(function () {
  var script = document.currentScript;
  var base = new URL("../run/", script.src);
  var RUN_LIMIT_SECONDS = 20;
  var manifest = null;
  var worker = null;
  var current = null; // the example running now: {ui, timer}

  function loadManifest() {
    if (manifest === null) {
      manifest = fetch(new URL("runtime/examples.json", base))
        .then(function (response) {
          return response.ok ? response.json() : {};
        })
        .catch(function () {
          return {};
        });
    }
    return manifest;
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text) node.textContent = text;
    return node;
  }

  // The examples on the page: a code block titled examples/....py, and the
  // block with its try-it part: the untitled block right after it, or the
  // code of the "Try it" tab of the same tabbed set.
  function titleOf(highlight) {
    var title = highlight.querySelector(":scope > .filename, :scope > span.filename");
    return title ? title.textContent.trim() : null;
  }

  function exampleSets(root) {
    var found = [];
    var seen = {};
    root.querySelectorAll(".highlight").forEach(function (app) {
      var path = titleOf(app);
      if (!path || !/^examples\/.+\.py$/.test(path) || seen[path]) return;
      var tryIt = null;
      var next = app.nextElementSibling;
      if (next && next.classList.contains("highlight") && !titleOf(next)) {
        tryIt = next;
      } else {
        var block = app.closest(".tabbed-block");
        var set = block && block.closest(".tabbed-set");
        if (set) {
          var labels = set.querySelectorAll(":scope > .tabbed-labels > label");
          var blocks = set.querySelectorAll(":scope > .tabbed-content > .tabbed-block");
          labels.forEach(function (label, index) {
            if (label.textContent.trim() === "Try it" && blocks[index]) {
              tryIt = blocks[index].querySelector(".highlight");
            }
          });
        }
      }
      if (tryIt && !tryIt.dataset.guideRun) {
        seen[path] = true;
        found.push({ app: app, tryIt: tryIt, path: path });
      }
    });
    return found;
  }

  function codeOf(block) {
    return block.querySelector("pre > code");
  }

  function makeEditable(code, label) {
    code.setAttribute("contenteditable", "plaintext-only");
    code.setAttribute("spellcheck", "false");
    code.setAttribute("role", "textbox");
    code.setAttribute("aria-multiline", "true");
    code.setAttribute("aria-label", label);
  }

  function serverOnly(example, info) {
    var note = element("div", { class: "guide-run guide-run--server-only" });
    note.appendChild(element("p", {}, "Runs on a server only: " + info.reason));
    var command = element("p", {}, "Run it with Python from the repository root: ");
    command.appendChild(element("code", {}, info.command));
    note.appendChild(command);
    example.tryIt.after(note);
  }

  function setUp(example) {
    // The code blocks of every tab that shows this file (App, Try it).
    var parts = [];
    [example.app, example.tryIt].forEach(function (block, index) {
      var code = codeOf(block);
      parts.push({ code: code, html: code.innerHTML, text: code.textContent });
      makeEditable(
        code,
        (index ? "Try it code of " : "App code of ") + example.path + ", editable"
      );
    });

    var ui = { example: example, parts: parts };
    var bar = element("div", { class: "guide-run", "data-example": example.path });
    ui.run = element("button", { type: "button", class: "md-button md-button--primary" }, "Run");
    ui.stop = element("button", { type: "button", class: "md-button", hidden: "" }, "Stop");
    ui.reset = element("button", { type: "button", class: "md-button" }, "Reset");
    ui.status = element("p", { class: "guide-run__status", role: "status" });
    ui.output = element("pre", { class: "guide-run__output", hidden: "", tabindex: "0", "aria-label": "Output of " + example.path });
    bar.appendChild(ui.run);
    bar.appendChild(ui.stop);
    bar.appendChild(ui.reset);
    bar.appendChild(ui.status);
    bar.appendChild(ui.output);
    example.tryIt.after(bar);

    ui.run.addEventListener("click", function () {
      run(ui);
    });
    ui.stop.addEventListener("click", function () {
      stop("Stopped. The next Run starts Python again.");
    });
    ui.reset.addEventListener("click", function () {
      if (current && current.ui === ui) stop("");
      parts.forEach(function (part) {
        part.code.innerHTML = part.html;
      });
      ui.output.hidden = true;
      ui.output.textContent = "";
      ui.status.textContent = "Reset to the example's file.";
    });
  }

  // While one example runs, Run elsewhere does nothing: aria-disabled rather
  // than disabled, so the button a keyboard user pressed keeps the focus.
  function setBusy(busy) {
    document.querySelectorAll(".guide-run > button:first-child").forEach(function (button) {
      if (busy) button.setAttribute("aria-disabled", "true");
      else button.removeAttribute("aria-disabled");
    });
  }

  function write(ui, stream, text) {
    ui.output.hidden = false;
    if (stream === "stderr") {
      ui.output.appendChild(element("span", { class: "guide-run__stderr" }, text));
    } else {
      ui.output.appendChild(document.createTextNode(text));
    }
  }

  // Ends the worker (the next Run starts Python again) and the current run.
  function stop(message) {
    if (worker) worker.terminate();
    worker = null;
    if (!current) return;
    clearTimeout(current.timer);
    var ui = current.ui;
    current = null;
    if (ui.stop.contains(document.activeElement)) ui.run.focus();
    ui.stop.hidden = true;
    ui.status.textContent = message;
    setBusy(false);
  }

  function startWorker() {
    worker = new Worker(new URL("worker.mjs", base), { type: "module" });
    worker.onerror = function (event) {
      event.preventDefault();
      stop("Could not start Python: " + (event.message || "the worker failed to load") + ".");
    };
    worker.onmessage = function (event) {
      if (!current) return;
      var ui = current.ui;
      var message = event.data;
      if (message.type === "progress") {
        ui.status.textContent = message.text + "…";
      } else if (message.type === "running") {
        ui.status.textContent = "Running…";
        current.timer = setTimeout(function () {
          stop("Stopped after " + RUN_LIMIT_SECONDS + " s. The next Run starts Python again.");
        }, RUN_LIMIT_SECONDS * 1000);
      } else if (message.type === "output") {
        write(ui, message.stream, message.text);
      } else if (message.type === "cut") {
        write(ui, "stderr", "\n[output cut at " + message.limit + " characters]\n");
      } else if (message.type === "failed") {
        // Python itself broke (os._exit, a crash): start afresh next time.
        stop("Could not run: " + message.message + ". The next Run starts Python again.");
      } else if (message.type === "done") {
        clearTimeout(current.timer);
        current = null;
        if (ui.stop.contains(document.activeElement)) ui.run.focus();
        ui.stop.hidden = true;
        setBusy(false);
        var took = "in " + message.seconds.toFixed(1) + " s";
        ui.status.textContent =
          (message.status === 0 ? "Finished " : "Raised an exception ") + took +
          (message.first ? " (Python " + "started for this page)" : "") + ".";
        ui.output.dataset.seconds = String(message.seconds);
        ui.output.dataset.runSeconds = String(message.runSeconds);
        ui.output.dataset.first = String(message.first);
        if (message.timings) ui.output.dataset.timings = JSON.stringify(message.timings);
        if (!ui.output.hasChildNodes()) {
          ui.output.hidden = false;
          ui.output.appendChild(element("span", { class: "guide-run__stderr" }, "(no output)"));
        }
      }
    };
  }

  function run(ui) {
    if (current) return; // one run at a time on a page
    if (!worker) startWorker();
    current = { ui: ui, timer: null };
    setBusy(true);
    ui.stop.hidden = false;
    ui.output.textContent = "";
    ui.output.hidden = true;
    delete ui.output.dataset.seconds;
    ui.status.textContent = "Starting…";
    worker.postMessage({
      path: ui.example.path,
      edits: ui.parts.map(function (part) {
        return [part.text, part.code.textContent];
      }),
    });
  }

  function scan() {
    var examples = exampleSets(document);
    if (!examples.length) return;
    loadManifest().then(function (known) {
      examples.forEach(function (example) {
        var info = known[example.path];
        if (!info || example.tryIt.dataset.guideRun) return;
        example.tryIt.dataset.guideRun = "1";
        if (info.runs_in_browser) setUp(example);
        else serverOnly(example, info);
      });
    });
  }

  if (window.document$) {
    // Material's instant navigation swaps the page without reloading scripts.
    window.document$.subscribe(function () {
      if (current) stop("");
      scan();
    });
  } else {
    scan();
  }
})();

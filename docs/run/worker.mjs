// Runs the site's examples with Pyodide, in a Web Worker so that a long or
// endless run never freezes the page: the page stops it by ending the worker.
// Everything comes from this site: Pyodide and the wheels under runtime/
// (tools/browser_runtime.py), the runner beside this file.
import { loadPyodide } from "./runtime/pyodide/pyodide.mjs";

const here = new URL(".", import.meta.url);
const siteOrigin = self.location.origin;
// At most this much output is kept from one run; the rest is dropped.
const OUTPUT_LIMIT = 100000;

// Code run here may only reach this site: requests to any other host fail
// the way a request to an unreachable host fails.
function onThisSite(url) {
  try {
    return new URL(url, self.location.href).origin === siteOrigin;
  } catch {
    return false;
  }
}
const siteFetch = self.fetch.bind(self);
self.fetch = (input, init) => {
  // One Request, checked and sent: its URL cannot change in between.
  let request;
  try {
    request = new Request(input, init);
  } catch (error) {
    return Promise.reject(error);
  }
  if (!onThisSite(request.url)) {
    return Promise.reject(new TypeError(`${request.url} is not on this site; examples run in the page reach only the site`));
  }
  return siteFetch(request);
};
const SiteXMLHttpRequest = self.XMLHttpRequest;
if (SiteXMLHttpRequest) {
  self.XMLHttpRequest = class extends SiteXMLHttpRequest {
    open(method, url, ...rest) {
      if (!onThisSite(url)) {
        throw new TypeError(`${url} is not on this site; examples run in the page reach only the site`);
      }
      return super.open(method, url, ...rest);
    }
  };
}
for (const name of ["WebSocket", "WebSocketStream", "EventSource", "WebTransport", "Worker", "SharedWorker"]) {
  if (name in self) {
    self[name] = function () {
      throw new TypeError(`${name} is not available to examples run in the page`);
    };
  }
}

// The Cache API fetches by itself, without going through fetch().
try {
  delete self.caches;
  Object.defineProperty(self, "caches", { value: undefined });
} catch {}

let runner = null;
let timings = null;
let output = null;

function collect(stream) {
  const decoder = new TextDecoder();
  return {
    write(buffer) {
      const text = decoder.decode(buffer, { stream: true });
      if (output && text) {
        const room = OUTPUT_LIMIT - output.size;
        if (room > 0) {
          const kept = text.slice(0, room);
          output.size += kept.length;
          postMessage({ type: "output", stream, text: kept });
        }
        if (text.length > room && !output.cut) {
          output.cut = true;
          postMessage({ type: "cut", limit: OUTPUT_LIMIT });
        }
      }
      return buffer.length;
    },
  };
}

function fetchOk(url) {
  return fetch(url).then((response) => {
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response;
  });
}

async function start() {
  if (typeof WebAssembly.Suspending !== "function") {
    throw new Error(
      "this browser lacks WebAssembly JavaScript Promise Integration (JSPI), " +
        "which Run needs to call the app from the example's code; Chromium 137 or newer has it",
    );
  }
  const began = performance.now();
  postMessage({ type: "progress", text: "Loading Python" });
  // What Python needs next downloads while it starts.
  const runtime = fetchOk(new URL("runtime/runtime.json", here)).then((r) => r.json());
  const examples = fetchOk(new URL("runtime/examples.zip", here)).then((r) => r.arrayBuffer());
  const source = fetchOk(new URL("runner.py", here)).then((r) => r.text());
  const wheels = runtime.then((pins) =>
    pins.wheels.map((wheel) => new URL(`runtime/wheels/${wheel}`, here).href),
  );
  const pyodide = await loadPyodide({
    indexURL: new URL("runtime/pyodide/", here).href,
  });
  const pythonReady = performance.now();
  postMessage({ type: "progress", text: "Installing FastAPI" });
  await pyodide.loadPackage(await wheels, { messageCallback: () => {} });
  pyodide.unpackArchive(await examples, "zip", { extractDir: "/home/pyodide" });
  pyodide.FS.writeFile("/home/pyodide/guide_runner.py", await source);
  const installed = performance.now();
  postMessage({ type: "progress", text: "Importing FastAPI" });
  pyodide.setStdout(collect("stdout"));
  pyodide.setStderr(collect("stderr"));
  // input() has no one to ask: it reads the end of input (EOFError).
  pyodide.setStdin({ stdin: () => null });
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide')");
  runner = pyodide.pyimport("guide_runner");
  const imported = performance.now();
  timings = {
    python: pythonReady - began,
    packages: installed - pythonReady,
    imports: imported - installed,
    pyodide: (await runtime).pyodide,
  };
}

self.onmessage = async ({ data }) => {
  const began = performance.now();
  try {
    const first = runner === null;
    if (first) {
      await start();
    }
    output = { size: 0, cut: false };
    postMessage({ type: "running" });
    const ranAt = performance.now();
    const status = await runner.run.callPromising(data.path, data.edits);
    output = null;
    postMessage({
      type: "done",
      status,
      seconds: (performance.now() - began) / 1000,
      runSeconds: (performance.now() - ranAt) / 1000,
      first,
      timings,
    });
  } catch (error) {
    output = null;
    postMessage({ type: "failed", message: String(error && error.message ? error.message : error) });
  }
};

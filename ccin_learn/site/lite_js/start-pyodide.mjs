// How the kit starts Python for the tools that run in the page: the pyodide kernel's
// "pyodideUrl" (see ccin_learn/site/lite_snapshot.py, which stages this file beside
// Pyodide's own in lite/static/pyodide/).
//
// Why: starting Python and importing IPython and ipywidgets took seconds of CPU on every
// visit, even with every file in the browser's cache. The build runs Python once (under
// Node, with this same module), imports what every tool needs, and saves Pyodide's memory
// as snapshot.bin.gz. Here Pyodide restores that memory instead, so those imports are
// already done. Python's files (the packages the tools use) come as one image,
// site-packages.bin.gz, written straight into Pyodide's file system: much quicker than
// Pyodide unpacking 28 wheels one by one in Python.
//
// If the snapshot cannot be read or restored, Python starts from scratch with the same
// image (slower, same result), and the console says why.

import { loadPyodide as loadPlain } from "./pyodide.mjs";
import createPyodideModule from "./pyodide.asm.mjs";

export const SNAPSHOT = "snapshot.bin.gz";
export const IMAGE = "site-packages.bin.gz";

async function readGzip(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const plain = response.body.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(plain).arrayBuffer());
}

// The image: a 4-byte little-endian length, that many bytes of JSON [[path, size], ...],
// then the files' bytes one after another. Paths are relative to site-packages.
export function writeImage(pyodide, image) {
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const headerLength = view.getUint32(0, true);
  const header = new TextDecoder().decode(image.subarray(4, 4 + headerLength));
  const site = pyodide.runPython("import site; site.getsitepackages()[0]") + "/";
  const made = new Set();
  let offset = 4 + headerLength;
  for (const [path, size] of JSON.parse(header)) {
    const target = site + path;
    const folder = target.slice(0, target.lastIndexOf("/"));
    if (!made.has(folder)) {
      pyodide.FS.mkdirTree(folder);
      made.add(folder);
    }
    pyodide.FS.writeFile(target, image.subarray(offset, offset + size), { canOwn: true });
    offset += size;
  }
  if (offset !== image.length) throw new Error(`${IMAGE}: ${image.length - offset} bytes left over`);
  // A snapshot's import system may have listed site-packages when it was empty.
  pyodide.runPython("import importlib; importlib.invalidate_caches()");
}

// Pyodide restores a snapshot into memory of the snapshot's size, which this build of
// Pyodide does not reserve by itself: grow the memory first.
async function createWithRoom(settings) {
  const module = await createPyodideModule(settings);
  const restore = module.API.restoreSnapshot;
  module.API.restoreSnapshot = (snapshot) => {
    module.growMemory(snapshot.length);
    return restore(snapshot);
  };
  return module;
}

// The kernel's loadPyodideOptions name the packages so that it installs none itself;
// they are in the image, not in Pyodide's lock, so Pyodide is not asked for them.
export async function loadPyodide(options = {}) {
  const { packages: _inTheImage, ...rest } = options;
  const here = import.meta.url;
  const image = readGzip(new URL(IMAGE, here));
  image.catch(() => {});
  const snapshot = readGzip(new URL(SNAPSHOT, here));
  snapshot.catch(() => {});
  let pyodide;
  try {
    pyodide = await loadPlain({
      ...rest,
      _loadSnapshot: snapshot,
      createPyodideModule: createWithRoom,
    });
  } catch (error) {
    console.warn("ccin-learn: starting Python without its memory snapshot:", error);
    pyodide = await loadPlain(rest);
  }
  writeImage(pyodide, await image);
  return pyodide;
}

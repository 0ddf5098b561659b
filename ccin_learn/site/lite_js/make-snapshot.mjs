// Build step (run by ccin_learn/site/lite_snapshot.py under Node): start the page's own
// Pyodide, write the packages' image with the page's own code, run the Python that
// prepares Python (imports, checks), and save Pyodide's memory for the page to restore.
//
//   node make-snapshot.mjs PYODIDE_DIR IMAGE_FILE CODE_FILE OUT_FILE
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { pathToFileURL } from "node:url";

const [pyodideDir, imageFile, codeFile, outFile] = process.argv.slice(2);
const folder = pathToFileURL(path.resolve(pyodideDir) + "/").href;
const { loadPyodide } = await import(new URL("pyodide.mjs", folder).href);
const { writeImage } = await import(new URL("start-pyodide.mjs", folder).href);

try {
  const pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/", _makeSnapshot: true });
  writeImage(pyodide, new Uint8Array(zlib.gunzipSync(fs.readFileSync(imageFile))));
  pyodide.runPython(fs.readFileSync(codeFile, "utf8"));
  fs.writeFileSync(outFile, pyodide.makeMemorySnapshot());
} catch (error) {
  // Only the message: a stack through Pyodide's one-line sources would bury it.
  console.error(String(error.message ?? error).slice(-2000));
  process.exit(1);
}

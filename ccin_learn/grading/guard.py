"""The grader does not trust the kernel: undo and name known ways to rig the tests.

A learner's code runs in the same interpreter as the hidden tests that mark it.
It can, for example, add an IPython input transformer that turns every cell
containing ``assert`` into ``pass`` (every automatic mark, every answer wrong),
replace ``AssertionError`` or a builtin, install a trace hook, or patch
``run_cell``. So:

1. When the kernel starts, before any learner code, the launcher runs
   ``SNAPSHOT`` (IPython ``exec_lines``): it records these hooks and keeps the
   record, with a ``check`` function, in a module under a per-run random name.
2. Before each graded test cell, ``GuardedExecute`` (nbgrader's ``Execute``,
   otherwise unchanged) asks the kernel to run ``check`` as a *user
   expression*, which IPython evaluates without input transformers. ``check``
   restores every hook to its snapshot and answers with the grader's per-run
   nonce and what it found. No answer, or no nonce, is tampering too.
3. A static scan of the learner's own cells for the names of these hooks is a
   second signal.

Be clear about the limit: a kernel whose learner code found and replaced the
snapshot module can lie to the grader. This defeats and names the known tricks
and makes the others visible in the notebook's code; it is not a proof.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import nbformat
from jupyter_core.utils import ensure_async, run_sync
from nbclient.exceptions import DeadKernelError
from nbgrader.preprocessors import Execute
from traitlets import Integer, Unicode

from ccin_learn.grading.snapshot import check_expression

MB = 1024 * 1024

# Everything the guard (or the output cap) found in this worker's current learner;
# grade_in_worker empties it before each learner and reads it after.
FINDINGS: list[str] = []


# Names in a learner's own cells that can change how the tests run.
SUSPECT = re.compile(
    r"input_transformers_cleanup|input_transformers_post|ast_transformers|settrace|setprofile"
    r"|excepthook|displayhook|events\.register|__builtins__|AssertionError\s*=(?!=)"
    r"|\brun_cell\b|do_execute|\bbuiltins\.\w+\s*=(?!=)"
)


# What a course notebook never needs: the network, other processes, files outside its
# folder. The sandbox stops them silently; the trainer should still hear who tried.
OUTSIDE = re.compile(
    r"\bsocket\b|\burllib\b|\brequests\b|http\.client|\bsubprocess\b|\bmultiprocessing\b"
    r"|\bctypes\b|start_new_session|\bos\.(?:fork|system|kill|killpg|setsid|exec\w*|spawn\w*|getppid)\b"
    r"|(?P<path>['\"](?:/|~/)[^'\"\n]*['\"]|['\"][^'\"\n]*\.\./)"
)


def static_findings(notebook: Path) -> list[str]:
    """Hook names, and reaching outside, in the learner's own (unlocked) code cells.

    The hook names are the guard's second signal. Reaching outside (the network,
    processes, other files) is contained by the sandbox, but a trainer grading
    strangers' code should know whose code tried, without reading every notebook.
    """
    hooks: set[str] = set()
    outside: set[str] = set()
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type != "code" or cell.metadata.get("nbgrader", {}).get("locked"):
            continue
        hooks |= {m.group(0).rstrip(" =") for m in SUSPECT.finditer(cell.source)}
        outside |= {
            "file paths outside its folder" if m.group("path") else m.group(0)
            for m in OUTSIDE.finditer(cell.source)
        }
    found = []
    if hooks:
        found.append(
            f"tampered: the learner's code in {notebook.name} uses {', '.join(sorted(hooks))}, "
            "which can change how the tests run; check this submission by hand"
        )
    if outside:
        found.append(
            f"reached outside: the learner's code in {notebook.name} uses "
            f"{', '.join(sorted(outside))}; the sandbox kept it in, but check this "
            "submission by hand"
        )
    return found


def is_test_cell(cell: Any) -> bool:
    info = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(info.get("grade")) and not info.get("solution")


class GuardedExecute(Execute):
    """nbgrader's Execute, plus the guard before each test cell and an output cap.

    nbclient keeps every output in memory; a learner printing 100 MB would
    exhaust the grader and bloat the notebook, so output past ``output_limit_mb``
    per notebook is dropped (with a note in the cell saying so).
    """

    stash = Unicode("", help="The kernel's snapshot module name (per run).").tag(config=True)
    nonce = Unicode("", help="The per-run nonce the guard must answer with.").tag(config=True)
    output_limit_mb = Integer(10, help="Output kept per notebook, in MB.").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self.output_bytes = 0
        self.output_cut = False
        self.notebook_name = Path((resources or {}).get("unique_key", "notebook")).name
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        if self.stash and is_test_cell(cell):
            run_sync(self.guard)(cell)
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            run_sync(self.revive)(cell)
            return cell, self.resources

    async def revive(self, cell: Any) -> None:
        """The kernel died in this cell (the memory limit, most often): fail the cell, go on.

        Without this, nbgrader would give up on the whole notebook; with it the
        cell shows an error, and the rest runs in a new kernel (so cells relying
        on what the dead kernel computed fail too, as they should).
        """
        reason = "the kernel stopped (it ran out of memory or was killed)"
        cell.outputs = [
            nbformat.v4.new_output("error", ename="DeadKernelError", evalue=reason, traceback=[])
        ]
        FINDINGS.append(
            f"{reason} in a cell of {self.notebook_name}; that cell failed and the "
            "rest ran in a new kernel"
        )
        await ensure_async(self.km.restart_kernel(now=True))
        await ensure_async(self.kc.wait_for_ready(timeout=self.startup_timeout))

    async def guard(self, cell: Any) -> None:
        """Run the kernel's check before this test cell; note what it undid."""
        test = cell.metadata.get("nbgrader", {}).get("grade_id", "a test")
        where = f"before {test} in {self.notebook_name}"
        expression = check_expression(self.stash, self.nonce)
        msg_id = self.kc.execute(
            "", silent=True, store_history=False, user_expressions={"g": expression}
        )
        try:
            reply = await self.async_wait_for_reply(msg_id)
        except Exception:  # a timeout or a dead kernel: the check did not answer
            reply = None
        answer = guard_answer(reply)
        if answer is None or not answer.startswith(self.nonce + "|"):
            FINDINGS.append(
                f"tampered: the grader's check did not run {where} "
                "(the kernel's execution was changed); check this submission by hand"
            )
            return
        found = answer.removeprefix(self.nonce + "|")
        if found:
            FINDINGS.append(f"tampered: {found} (found and undone {where}; graded without it)")

    def output(self, outs, msg, display_id, cell_index):
        size = len(json.dumps(msg.get("content", {}), default=str))
        self.output_bytes += size
        if self.output_bytes <= self.output_limit_mb * MB:
            return super().output(outs, msg, display_id, cell_index)
        if not self.output_cut:
            self.output_cut = True
            note = f"[output was cut at {self.output_limit_mb} MB by the grader]\n"
            outs.append(nbformat.v4.new_output("stream", name="stderr", text=note))
            FINDINGS.append(f"output was cut at {self.output_limit_mb} MB in {self.notebook_name}")
        return None


def guard_answer(reply: dict[str, Any] | None) -> str | None:
    """The check's answer out of an execute reply, if it ran and returned a string."""
    if not reply or reply.get("content", {}).get("status") != "ok":
        return None
    result = reply["content"].get("user_expressions", {}).get("g", {})
    if result.get("status") != "ok":
        return None
    try:
        value = ast.literal_eval(result.get("data", {}).get("text/plain", ""))
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None

"""What the grading kernel records at start, before any learner code: the guard's snapshot.

Split from ``guard.py`` because the kernel's launcher (``limited_kernel``) needs only
this text, and it starts once per learner: importing the guard's nbgrader side there
cost about 1.6 s of every kernel's start (December 2026 measurement).
"""

from __future__ import annotations

SNAPSHOT = r"""
import builtins, sys, threading, types
from IPython import get_ipython

shell = get_ipython()
kernel = getattr(shell, "kernel", None)
SHELL_METHODS = ("run_cell", "run_cell_async", "run_code", "run_ast_nodes",
                 "transform_cell", "transform_ast", "user_expressions")
KERNEL_METHODS = ("do_execute", "execute_request")
LISTS = {"input_transformers_cleanup": "an input transformer",
         "input_transformers_post": "an input transformer",
         "ast_transformers": "an AST transformer"}
SYS_HOOKS = ("excepthook", "displayhook")
TRAP = {"exit", "quit", "get_ipython", "display", "__IPYTHON__"}

lists = {name: list(getattr(shell, name)) for name in LISTS}
names = dict(vars(builtins))
hooks = {name: getattr(sys, name) for name in SYS_HOOKS}
shell_display = shell.displayhook
events = {name: list(found) for name, found in shell.events.callbacks.items()}
shell_methods = {n: getattr(type(shell), n, None) for n in SHELL_METHODS}
kernel_methods = {n: getattr(type(kernel), n, None) for n in KERNEL_METHODS}
own_shell = {n for n in SHELL_METHODS if n in vars(shell)}
own_kernel = {n for n in KERNEL_METHODS if kernel is not None and n in vars(kernel)}
profile = sys.getprofile()
compiler = shell.compile


def ours(now, before):
    # IPython and ipykernel swap these hooks themselves around each cell
    if now is before:
        return True
    module = getattr(now, "__module__", None) or type(now).__module__
    return str(module).split(".")[0] in ("ipykernel", "IPython", "sys")


def check(nonce):
    found = []
    for name, what in LISTS.items():
        current = getattr(shell, name)
        if list(current) != lists[name]:
            found.append(f"added {what} ({name})")
            current[:] = lists[name]
    if sys.gettrace() is not None or sys.getprofile() is not profile:
        found.append("set a trace or profile hook (sys.settrace/sys.setprofile)")
        sys.settrace(None)
        sys.setprofile(profile)
    if threading._trace_hook is not None or threading._profile_hook is not None:
        found.append("set a thread trace hook (threading.settrace)")
        threading.settrace(None)
        threading.setprofile(None)
    changed = [k for k, v in names.items() if vars(builtins).get(k, v) is not v and k not in TRAP]
    gone = [k for k in names if k not in vars(builtins) and k not in TRAP]
    if changed or gone:
        found.append("replaced builtins: " + ", ".join(sorted(changed + gone)[:8]))
        for k in changed + gone:
            setattr(builtins, k, names[k])
    if shell.user_ns.get("__builtins__", builtins) is not builtins:
        found.append("replaced __builtins__")
        shell.user_ns["__builtins__"] = builtins
    for name, hook in hooks.items():
        if not ours(getattr(sys, name), hook):
            found.append(f"replaced sys.{name}")
            setattr(sys, name, hook)
    if shell.displayhook is not shell_display:
        found.append("replaced IPython's displayhook")
        shell.displayhook = shell_display
    if shell.compile is not compiler:
        found.append("replaced IPython's compiler")
        shell.compile = compiler
    for name, before in events.items():
        now = shell.events.callbacks.get(name, [])
        if list(now) != before:
            found.append(f"registered an IPython event callback ({name})")
            now[:] = before
    for name, method in shell_methods.items():
        if getattr(type(shell), name, None) is not method:
            found.append(f"patched IPython's {name}")
            setattr(type(shell), name, method)
        if name in vars(shell) and name not in own_shell:
            found.append(f"patched IPython's {name}")
            delattr(shell, name)
    for name, method in kernel_methods.items():
        if kernel is not None and getattr(type(kernel), name, None) is not method:
            found.append(f"patched the kernel's {name}")
            setattr(type(kernel), name, method)
        if kernel is not None and name in vars(kernel) and name not in own_kernel:
            found.append(f"patched the kernel's {name}")
            delattr(kernel, name)
    return nonce + "|" + "; ".join(dict.fromkeys(found))


module = types.ModuleType(STASH)
module.check = check
sys.modules[STASH] = module
"""


def snapshot_line(stash: str) -> str:
    """One line for IPython's ``exec_lines``: the snapshot, in a namespace of its own."""
    code = SNAPSHOT.replace("STASH", repr(stash))
    return f"exec({code!r}, {{}})"


def check_expression(stash: str, nonce: str) -> str:
    return f"__import__('sys').modules[{stash!r}].check({nonce!r})"

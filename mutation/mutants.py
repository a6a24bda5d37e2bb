"""The mutants of one Python module: each is the module's source with one small change, found on its syntax tree.

A change replaces the source of one node (an expression, a statement) with the unparsed text of a changed copy, so
the rest of the file stays byte for byte as written and a mutant reads as a one-line diff. Each mutant has a key
that names its scope and its change (`_too_deep: depth > MAX_NESTING -> depth >= MAX_NESTING`), so a list of
equivalent mutants survives edits elsewhere in the module.

The changes, in the spirit of mutmut: swap an arithmetic, comparison or boolean operator; drop a `not` or a minus;
bump a number, flip a boolean, spoil a string; negate a bare condition; drop a keyword argument or a caught
exception type; return None instead of a value; replace a call, await or raise statement with `pass`; swap break
and continue. Docstrings, annotations, imports and `...` are left alone.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Iterator
from dataclasses import dataclass

KEY_SNIPPET = 70  # longest before/after text shown in a key

_BINARY: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.Div,
    ast.Pow: ast.Mult,
    ast.BitOr: ast.BitAnd,
    ast.BitAnd: ast.BitOr,
    ast.BitXor: ast.BitOr,
    ast.LShift: ast.RShift,
    ast.RShift: ast.LShift,
}
_COMPARE: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_PRIMARY = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant, ast.JoinedStr, ast.Tuple, ast.List)


@dataclass(frozen=True)
class Mutant:
    key: str  # "<scope>: <before> -> <after>", unique within the module
    line: int
    source: str  # the whole module with this one change


@dataclass(frozen=True)
class _Edit:
    node: ast.expr | ast.stmt
    replacement: str
    before: str
    after: str
    scope: str


def mutants(source: str) -> list[Mutant]:
    """Every mutant of `source`, in source order; changes that do not parse or change nothing are skipped."""
    tree = ast.parse(source)
    finder = _Finder()
    finder.visit(tree)
    data = source.encode()
    starts = _line_starts(data)
    found: list[Mutant] = []
    seen_keys: dict[str, int] = {}
    seen_sources = {source}
    for edit in finder.edits:
        node = edit.node
        assert node.end_lineno is not None  # every expression and statement has a position
        assert node.end_col_offset is not None
        begin = starts[node.lineno - 1] + node.col_offset
        end = starts[node.end_lineno - 1] + node.end_col_offset
        if not _spans(data[begin:end].decode(), node):
            continue  # a position ast got wrong (it happens inside f-strings before 3.12): never edit blind
        mutated = (data[:begin] + edit.replacement.encode() + data[end:]).decode()
        if mutated in seen_sources or not _parses(mutated):
            continue
        seen_sources.add(mutated)
        key = f"{edit.scope}: {_short(edit.before)} -> {_short(edit.after)}"
        seen_keys[key] = seen_keys.get(key, 0) + 1
        if seen_keys[key] > 1:
            key = f"{key} [{seen_keys[key]}]"
        found.append(Mutant(key=key, line=node.lineno, source=mutated))
    return found


class _Finder(ast.NodeVisitor):
    """Walks the tree once, collecting the edits in source order, skipping what cannot change behaviour."""

    def __init__(self) -> None:
        self.edits: list[_Edit] = []
        self.scopes: list[str] = []

    # --- scopes, and what is never mutated ---------------------------------------------------------------------

    @property
    def scope(self) -> str:
        return ".".join(self.scopes) or "<module>"

    def _body(self, body: list[ast.stmt]) -> None:
        start = 1 if body and _is_docstring(body[0]) else 0
        for statement in body[start:]:
            self.visit(statement)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scopes.append(node.name)
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default)
        self._body(node.body)
        self.scopes.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._function(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.scopes.append(node.name)
        self._body(node.body)
        self.scopes.pop()

    def visit_Module(self, node: ast.Module) -> None:
        self._body(node.body)

    def visit_Import(self, node: ast.Import) -> None:
        return

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        return

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.visit(node.body)

    # --- expressions -------------------------------------------------------------------------------------------

    def visit_BinOp(self, node: ast.BinOp) -> None:
        swapped = _BINARY.get(type(node.op))
        if swapped is not None:
            self._expression(node, ast.BinOp(left=node.left, op=swapped(), right=node.right))
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        for index, op in enumerate(node.ops):
            ops = list(node.ops)
            ops[index] = _COMPARE[type(op)]()
            self._expression(node, ast.Compare(left=node.left, ops=ops, comparators=node.comparators))
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        self._expression(node, ast.BoolOp(op=other, values=node.values))
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not | ast.USub):
            self._expression(node, node.operand)
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool):
            self._expression(node, ast.Constant(not value))
        elif isinstance(value, int | float):
            self._expression(node, ast.Constant(value + 1))
        elif isinstance(value, str):
            self._expression(node, ast.Constant(f"XX{value}XX"))
        elif isinstance(value, bytes):
            self._expression(node, ast.Constant(b"XX" + value + b"XX"))

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        """An f-string is spoiled as a whole (its parts have no positions of their own to edit)."""
        self._expression(node, ast.JoinedStr(values=[ast.Constant("XX"), *node.values]))
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                self.visit(part.value)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self._negate(node.test)
        self.generic_visit(node)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        for condition in node.ifs:
            self._negate(condition)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        for index, keyword in enumerate(node.keywords):
            if keyword.arg is not None:
                kept = node.keywords[:index] + node.keywords[index + 1 :]
                changed = ast.Call(func=node.func, args=node.args, keywords=kept)
                self._add(node, ast.unparse(changed), ast.unparse(keyword), "(dropped)")
        self.generic_visit(node)

    # --- statements --------------------------------------------------------------------------------------------

    def visit_If(self, node: ast.If) -> None:
        self._negate(node.test)
        self.generic_visit(node)

    def visit_While(self, node: ast.While) -> None:
        self._negate(node.test)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        swapped = _BINARY.get(type(node.op))
        if swapped is not None:
            changed = ast.AugAssign(target=node.target, op=swapped(), value=node.value)
            self._add(node, ast.unparse(changed), ast.unparse(node), ast.unparse(changed))
        self.generic_visit(node)

    def visit_Return(self, node: ast.Return) -> None:
        # `return None` for a value; not for None or False, which a caller reads the same way
        falsy = isinstance(node.value, ast.Constant) and (node.value.value is None or node.value.value is False)
        if node.value is not None and not falsy:
            self._add(node, "return None", ast.unparse(node), "return None")
        self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Call | ast.Await):
            self._add(node, "pass", ast.unparse(node), "pass")
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        if node.exc is not None:
            self._add(node, "pass", ast.unparse(node), "pass")
        self.generic_visit(node)

    def visit_Break(self, node: ast.Break) -> None:
        self._add(node, "continue", "break", "continue")

    def visit_Continue(self, node: ast.Continue) -> None:
        self._add(node, "break", "continue", "break")

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if isinstance(node.type, ast.Tuple) and len(node.type.elts) > 1:
            for index, caught in enumerate(node.type.elts):
                kept = node.type.elts[:index] + node.type.elts[index + 1 :]
                narrower = ast.Tuple(elts=kept, ctx=ast.Load())
                self._add(node.type, ast.unparse(narrower), f"except {ast.unparse(caught)}", "(not caught)")
        self._body(node.body)

    # --- recording ---------------------------------------------------------------------------------------------

    def _negate(self, test: ast.expr) -> None:
        """`if ready:` -> `if not ready:`; comparisons and boolean operators get their own swaps instead."""
        if not isinstance(test, ast.Compare | ast.BoolOp | ast.UnaryOp | ast.Constant):
            self._expression(test, ast.UnaryOp(op=ast.Not(), operand=test))

    def _expression(self, node: ast.expr, changed: ast.expr) -> None:
        text = ast.unparse(changed)
        replacement = text if isinstance(changed, _PRIMARY) else f"({text})"
        self._add(node, replacement, ast.unparse(node), text)

    def _add(self, node: ast.expr | ast.stmt, replacement: str, before: str, after: str) -> None:
        self.edits.append(_Edit(node, replacement, before, after, self.scope))


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _line_starts(data: bytes) -> list[int]:
    """Byte offset of each line's start (ast columns are UTF-8 byte offsets)."""
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def _spans(segment: str, node: ast.AST) -> bool:
    """True when `segment` is the source of `node`."""
    try:
        if isinstance(node, ast.expr):
            parsed: ast.AST = ast.parse(f"({segment})", mode="eval").body
        else:
            parsed = ast.parse(segment).body[0]
    except (SyntaxError, IndexError):
        return False
    return ast.unparse(parsed) == ast.unparse(node)


def _parses(source: str) -> bool:
    try:
        ast.parse(source)
    except SyntaxError:
        return False
    return True


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= KEY_SNIPPET else f"{line[: KEY_SNIPPET - 1]}…"


def changed_lines(original: str, mutant: Mutant) -> Iterator[str]:
    """The mutant as a small unified diff against the original module."""
    yield from difflib.unified_diff(
        original.splitlines(), mutant.source.splitlines(), "original", "mutant", n=0, lineterm=""
    )

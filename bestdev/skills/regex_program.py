"""Compiled regex programs kept with the package, so a big pattern loads without being compiled again.

`re.compile` spends almost all its time in pure Python: parsing the pattern, then generating the program the C
engine runs. For the vocabulary's patterns that program is generated once, when the vocabulary index is
regenerated, and handed to the engine at startup (what `re` itself does as its last step). The program format
belongs to the interpreter, so programs are stored with a key naming it; on any other interpreter, or when the
engine rejects a program, the pattern is compiled from its source as usual: slower, never different.
"""

from __future__ import annotations

import base64
import importlib
import re
import sys
import zlib
from array import array
from collections.abc import Mapping
from typing import Any

_ENGINE: Any = importlib.import_module("_sre")
_TYPECODE = next((code for code in "IL" if array(code).itemsize == _ENGINE.CODESIZE), None)

Program = dict[str, Any]


def interpreter() -> str:
    """The key of the program format this interpreter runs."""
    return (
        f"{sys.implementation.name}-{sys.version_info.major}.{sys.version_info.minor}"
        f"-sre{_ENGINE.MAGIC}-code{_ENGINE.CODESIZE}-repeat{_ENGINE.MAXREPEAT}-groups{_ENGINE.MAXGROUPS}"
        f"-{sys.byteorder}"
    )


def program(source: str, flags: int) -> Program:
    """The program `re.compile(source, flags)` would run, as JSON-ready data (the steps of re._compiler.compile)."""
    compiler: Any = importlib.import_module("re._compiler")
    parser: Any = importlib.import_module("re._parser")
    parsed = parser.parse(source, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    code = array(_TYPECODE or "I", compiler._code(parsed, flags))
    return {
        "interpreter": interpreter(),
        "pattern": _fingerprint(source, flags),
        "flags": flags | parsed.state.flags,
        "groups": parsed.state.groups - 1,
        "groupindex": groupindex,
        "indexgroup": indexgroup,
        "code": base64.b64encode(zlib.compress(code.tobytes(), 9)).decode("ascii"),
    }


def load(source: str, flags: int, stored: Mapping[str, Any] | None) -> re.Pattern[str]:
    """`re.compile(source, flags)`, from the stored program when there is one for this interpreter."""
    if (
        stored is None
        or _TYPECODE is None
        or stored.get("interpreter") != interpreter()
        or stored.get("pattern") != _fingerprint(source, flags)
    ):
        return re.compile(source, flags)
    try:
        code = array(_TYPECODE, zlib.decompress(base64.b64decode(stored["code"]))).tolist()
        pattern: re.Pattern[str] = _ENGINE.compile(
            source, stored["flags"], code, stored["groups"], stored["groupindex"], tuple(stored["indexgroup"])
        )
    except (KeyError, TypeError, ValueError, RuntimeError, zlib.error):
        return re.compile(source, flags)
    return pattern


def _fingerprint(source: str, flags: int) -> str:
    """Which pattern a program was generated from (a program never runs for another one)."""
    return f"{flags}:{len(source)}:{zlib.crc32(source.encode()):08x}"

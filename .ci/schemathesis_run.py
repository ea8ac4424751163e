"""The schemathesis command line, with the modules its worker threads would import lazily
imported first, in the main thread.

CPython 3.11 tracks the AST validator's recursion depth per interpreter rather than per thread,
so two threads compiling source at the same moment can fail with "SystemError: AST constructor
recursion depth mismatch". anyio (through schemathesis' ASGI transport) compiles its own source
with `compile()` on first import, which schemathesis did from one of its `--workers` threads:
one fuzz run in CI died of it as a Runtime Error (no failing case). Importing it here, before any
thread starts, removes the race.
"""

import sys

import schemathesis.transport.asgi  # noqa: F401  (imports anyio)
from schemathesis.cli import schemathesis

if __name__ == "__main__":
    sys.argv[0] = "schemathesis"
    sys.exit(schemathesis())

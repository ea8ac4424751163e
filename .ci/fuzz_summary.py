"""One summary line per caller from schemathesis' console output (used by .ci/fuzz)."""

import re
import sys


def main() -> int:
    caller, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8", errors="replace") as output:
        text = output.read()
    tested = re.search(r"Tested:\s+(\d+)", text)
    selected = re.search(r"Selected:\s+(\d+)/(\d+)", text)
    cases = re.search(r"(\d+) generated", text)
    failures = re.search(r"found (\d+) unique failures?", text)
    errors = re.search(r"❌ .*?(\d+) errors?", text) or re.search(r"(\d+) errors? ", text)
    if tested is None or cases is None:
        print(f"{caller:<10} no summary: schemathesis did not finish (see its output above)")
        return 1
    failed = int(failures.group(1)) if failures else 0
    print(
        f"{caller:<10} operations {tested.group(1)}/{selected.group(2) if selected else '?'} tested, "
        f"cases {cases.group(1)}, failures {failed}" + (f", errors {errors.group(1)}" if errors else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Write lint/parse/hcl2-tables.json: the LALR parse tables of the installed
python-hcl2 grammar, built by the installed lark (see lint/parse/tables.py).

    python scripts/build_parse_tables.py

Run it after changing the python-hcl2 or lark version the release is built
with; tests/test_parse_tables.py fails until the file matches them.
"""

from __future__ import annotations

from pathlib import Path

from iacm_lint.parse.tables import build, dumps

TABLES = Path(__file__).resolve().parent.parent / "lint" / "parse" / "hcl2-tables.json"


def main() -> None:
    document = build()
    TABLES.write_bytes(dumps(document))
    print(f"wrote {TABLES.relative_to(Path.cwd()) if TABLES.is_relative_to(Path.cwd()) else TABLES} "
          f"for python-hcl2 {document['built_from']['python-hcl2']}, lark {document['built_from']['lark']}")


if __name__ == "__main__":
    main()

"""python-hcl2's grammar as LALR parse tables: shipped in the package as
plain JSON, loaded without pickle and without building them at run time.

Why: building lark's tables for hcl2.lark takes over a second, and a CI
container starts empty, so every CI run would pay it; and the tables used
to be a pickle in the cache directory, which a repository could plant
(issues 25 and 27).

The file `hcl2-tables.json` (next to this module) is made by `python scripts/build_parse_tables.py`
and holds:
- `built_from`: the SHA-256 of the grammar (python-hcl2's, terminals rewritten), the lark and python-hcl2
  versions and FORMAT. Tables are only used with exactly those;
- `lark`: lark's own serialisation of the parser (`Lark.memo_serialize`, what
  lark's standalone generator uses: rules, terminals, lexer and options,
  the post-lexer left out because it is code, given again at load time);
- `table`: the parse table, one line per state: token index, action code
  pairs, where a code below the number of states shifts to that state and
  any other reduces by the rule `memo[code - states]`. States and memo
  entries are numbered canonically, so the same grammar gives the same file.
Loading goes through lark's deserialisation, which only instantiates lark's
own classes, with `_TableParser` (a lark parser plugin) building the parse
table: data, never code.

Another python-hcl2 or lark than the release was built with: the tables are
built once (a second or so) and kept in the per-user cache directory
(lint/cachedir.py), sealed with an HMAC under the per-user key, so a file a
repository (or another user) wrote is never taken for them. No usable cache
directory, or `--no-cache`: built in every run.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import TYPE_CHECKING, Any, Optional

from ..cachedir import UserCache, user_cache

if TYPE_CHECKING:  # lark loads only when a file is parsed
    from lark import Lark
    from lark.parsers.lalr_parser import LALR_Parser

FORMAT = 1
PACKAGED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hcl2-tables.json")
REGENERATE = "python scripts/build_parse_tables.py"
_DEFAULT: Any = object()  # parser(): no cache directory given, find the per-user one

_PARSER: Optional[Lark] = None
loaded_from: Optional[str] = None  # "package", "user cache" or "built" (tests, benchmarks)


def grammar_file() -> str:
    try:
        import hcl2
    except ImportError as exc:  # reported cleanly by the CLI's start-up check
        raise RuntimeError(f"python-hcl2 is not usable: {exc}") from exc
    return os.path.join(os.path.dirname(os.path.abspath(hcl2.__file__)), "hcl2.lark")


# python-hcl2's terminals that cost time or memory out of proportion to the
# text they match, rewritten to match exactly the same tokens (the grammar is
# otherwise python-hcl2's own; a rewrite whose text is not found is skipped).
# A regex group repeated per character (`(.|\n)*?`) keeps a backtracking
# entry of ~150 bytes per character: a 5 MB string, comment or heredoc took
# 750 MB while it was lexed. Each blank line was its own token (~250 bytes
# and a parser step), so 9.5 MB of newlines took 2.5 GB and two minutes; a run
# of blank lines is now one token and its last newline another, which parse
# as before (the grammar takes any run of them, and python-hcl2's post-lexer
# still sees the newline right before an operator on its own). A heredoc's
# closing marker was sought after `\s*`, which also matched newlines: an
# unclosed heredoc over blank lines took quadratic time. The rewritten text is
# what `identity()` hashes, so changing a rewrite makes the shipped tables stale.
_TERMINAL_REWRITES = (
    (r"NL_OR_COMMENT: /\n[ \t]*/ |", r"NL_OR_COMMENT: /\n[ \t\r\n]*(?=\n)|\n[ \t]*/ |"),
    (r"""/(?:(?!\$\$\{)(?!\$\{)(?!%%\{)(?!%\{)[^"\\]|\\.|(?:\$(?!\$?\{))|(?:%(?!%?\{)))+/""",
     r"""/(?:[^"\\$%]+|\\.|\$(?!\$?\{)|%(?!%?\{))+/"""),
    (r"\r?\n(?:(?:.|\n)*?\r?\n)??\s*(?P=heredoc)", r"\r?\n(?:[\s\S]*?\r?\n)??[^\S\n]*(?P=heredoc)"),
    (r"\r?\n(?:(?:.|\n)*?\r?\n)??\s*(?P=heredoc_trim)", r"\r?\n(?:[\s\S]*?\r?\n)??[^\S\n]*(?P=heredoc_trim)"),
)

# Where python-hcl2's grammar rejects what Terraform and OpenTofu accept
# (hclsyntax/spec.md; issue 28), applied after the rewrites above:
# - an inline comment `/* … */` is whitespace, not a newline ("Comments and
#   Whitespace"), so it may stand anywhere between tokens (`a = /* c */ 1`):
#   it leaves NL_OR_COMMENT and is ignored; `block_comments` collects it;
# - identifiers are Unicode (`café = 1`, "Identifiers": ID_Start, then
#   ID_Continue or `-`), approximated by Python's `\w` (letters, digits, `_`);
#   heredoc markers are identifiers too;
# - the line of a heredoc's closing marker may end in blanks (`EOT␠␠`, `EOT\t`):
#   HCL trims the whole line before comparing it with the marker;
# - strip markers are allowed in interpolations of quoted strings
#   (`"${~ var.x ~}"`, "Template Interpolations"), not only in directives;
# - newlines are whitespace inside an interpolation, the parentheses of a
#   function call (`f(\n  x\n  ,\n)`) and a for expression (a newline before
#   `=>`): "Functions and Function Calls", "For Expressions".
_LANGUAGE_FIXES = (
    (r" | /\/\*(.|\n)*?(\*\/)/", ""),
    ("%ignore /[ \\t\\r]+/", "%ignore /[ \\t\\r]+/\nBLOCK_COMMENT: /\\/\\*[\\s\\S]*?\\*\\//\n%ignore BLOCK_COMMENT"),
    ("NAME : /[a-zA-Z_][a-zA-Z0-9_-]*/", r"NAME : /[^\W\d][\w-]*/"),
    ("(?P<heredoc>[a-zA-Z][a-zA-Z0-9._-]*)", r"(?P<heredoc>[^\W\d][\w.-]*)"),
    ("(?P<heredoc_trim>[a-zA-Z][a-zA-Z0-9._-]*)", r"(?P<heredoc_trim>[^\W\d][\w.-]*)"),
    (r"[^\S\n]*(?P=heredoc)\r?\n/", r"[^\S\n]*(?P=heredoc)[^\S\n]*\n/"),
    (r"[^\S\n]*(?P=heredoc_trim)\r?\n/", r"[^\S\n]*(?P=heredoc_trim)[^\S\n]*\n/"),
    ("interpolation: INTERP_START expression RBRACE",
     "interpolation: INTERP_START STRIP_MARKER? new_line_or_comment? expression new_line_or_comment? "
     "STRIP_MARKER? RBRACE"),
    ("arguments : (expression (new_line_or_comment? COMMA new_line_or_comment? expression)* (COMMA | ELLIPSIS)?",
     "arguments : (expression (new_line_or_comment? COMMA new_line_or_comment? expression)* new_line_or_comment? "
     "(COMMA | ELLIPSIS)?"),
    ("new_line_or_comment? expression FOR_OBJECT_ARROW",
     "new_line_or_comment? expression new_line_or_comment? FOR_OBJECT_ARROW"),
)


def grammar_source() -> str:
    """python-hcl2's grammar with `_TERMINAL_REWRITES` applied."""
    with open(grammar_file(), encoding="utf-8") as handle:
        text = handle.read()
    for old, new in (*_TERMINAL_REWRITES, *_LANGUAGE_FIXES):
        text = text.replace(old, new)
    return text


_IDENTITY: Optional[dict] = None


def identity() -> dict:
    """What tables are built from: the grammar (as rewritten), the lark and
    python-hcl2 versions, and this module's FORMAT."""
    global _IDENTITY
    if _IDENTITY is None:
        import hcl2
        import lark

        grammar = hashlib.sha256(grammar_source().encode("utf-8")).hexdigest()
        version = getattr(hcl2, "__version__", "unknown")
        _IDENTITY = {"format": FORMAT, "grammar_sha256": grammar, "lark": lark.__version__, "python-hcl2": version}
    return _IDENTITY


def parser(home: Optional[UserCache] = _DEFAULT) -> Lark:
    """The lark parser for python-hcl2's grammar (built once per process).
    `home`: the lint/cachedir.py UserCache where tables built at run time are
    kept, or None for nowhere; by default the per-user cache directory."""
    global _PARSER, loaded_from
    if _PARSER is None:
        wanted = identity()
        document = _read_packaged(wanted)
        loaded_from = "package"
        if document is None:
            if home is _DEFAULT:
                home = user_cache()
            document, loaded_from = _cached_or_built(wanted, home)
        try:
            _PARSER = load(document)
        except Exception:  # noqa: BLE001 - a lark whose internals differ: its own tables, built in memory
            _PARSER, loaded_from = _plain_parser(), "built (lark's own loader)"
    return _PARSER


def _read_packaged(wanted: dict) -> Optional[dict]:
    try:
        with open(PACKAGED, "rb") as handle:
            document = json.loads(handle.read())
    except (OSError, ValueError):  # a broken install: build the tables instead
        return None
    return document if isinstance(document, dict) and document.get("built_from") == wanted else None


def _cached_or_built(wanted: dict, home: Optional[UserCache]) -> tuple[dict, str]:
    name = "hcl2-tables-" + hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest()[:16] + ".json"
    if home is not None:
        data = home.read_sealed(name, "parse tables")
        if data is not None:
            try:
                document = json.loads(data)
            except ValueError:
                document = None  # sealed by us, yet unreadable (a bug of an older version): build again
            if isinstance(document, dict) and document.get("built_from") == wanted:
                return document, "user cache"
    document = build(wanted)
    if home is not None:
        home.write_sealed(name, "parse tables", dumps(document))
    return document, "built"


def _plain_parser() -> Lark:
    from hcl2.postlexer import PostLexer
    from lark import Lark

    return Lark(grammar_source(), parser="lalr", postlex=PostLexer(), propagate_positions=False,
                lexer_callbacks=_LEXER_CALLBACKS)


# The inline comments of the text being parsed, in order (tokens with
# positions): the lexer drops them (`%ignore`), so they never reach the tree;
# parse/hcl.py clears the list before each parse and reads it after. One parse
# at a time per process (the scan parses in processes, not threads).
block_comments: list = []
_LEXER_CALLBACKS = {"BLOCK_COMMENT": block_comments.append}


# ---- building ---------------------------------------------------------------------


def build(wanted: Optional[dict] = None) -> dict:
    """The JSON document of the tables the installed lark builds for the
    installed python-hcl2 grammar (about a second). lark numbers its states
    and memoised objects differently from build to build (set iteration), so
    both are renumbered canonically: the same grammar always gives the same
    document, and a regenerated file differs only where the grammar did."""
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    data, memo = _plain_parser().memo_serialize([TerminalDef, Rule])
    data["options"] = {name: value for name, value in data["options"].items()
                       if name not in ("postlex", "lexer_callbacks")}  # code: given again at load time
    serialised = data["parser"].pop("parser")  # lark's form of the table, re-encoded below
    order = sorted(memo, key=lambda index: _memo_sort_key(memo[index]))
    renumber = {old: new for new, old in enumerate(order)}
    data = _renumber_references(data, renumber)
    memo = {new: _renumber_references(memo[old], renumber) for new, old in enumerate(order)}
    table = _canonical_table(serialised, renumber)
    document = {"built_from": wanted or identity(), "lark": {"data": data, "memo": memo}, "table": table}
    return json.loads(json.dumps(document))  # the JSON form: what a reader of the file gets


def _memo_sort_key(entry: dict) -> tuple:
    if entry["__type__"] == "TerminalDef":
        return (0, entry["name"], 0, [])
    return (1, entry["origin"]["name"], entry["order"], [symbol["name"] for symbol in entry["expansion"]])


def _renumber_references(value: Any, renumber: dict) -> Any:
    if isinstance(value, dict):
        if set(value) == {"@"}:
            return {"@": renumber[value["@"]]}
        return {key: _renumber_references(item, renumber) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_renumber_references(item, renumber) for item in value]
    return value


def _canonical_table(serialised: dict, renumber: dict) -> dict:
    """lark's serialised parse table with states numbered in breadth-first
    order from the start states, each state's actions sorted by token name;
    a shift to state n is the code n, a reduction by the rule memo[m] the
    code states + m."""
    names = serialised["tokens"]
    states = {state: sorted((names[token], action, argument) for token, (action, argument) in actions.items())
              for state, actions in serialised["states"].items()}
    starts = [serialised["start_states"][start] for start in sorted(serialised["start_states"])]
    number: dict[int, int] = {}
    queue = list(starts)
    for state in queue:  # grows while it is walked: breadth first
        number.setdefault(state, len(number))
        for _, action, argument in states[state]:
            if action == 0 and argument not in number:
                number[argument] = len(number)
                queue.append(argument)
    if len(number) != len(states):
        raise ValueError("parse states unreachable from the start states")
    count = len(states)
    tokens = sorted({name for actions in states.values() for name, _, _ in actions})
    token_index = {name: index for index, name in enumerate(tokens)}
    rows: list[list[int]] = [[] for _ in range(count)]
    for state, actions in states.items():
        for name, action, argument in actions:
            code = number[argument] if action == 0 else count + renumber[argument["@"]]
            rows[number[state]] += [token_index[name], code]
    return {"tokens": tokens, "states": rows,
            "start_states": {start: number[state] for start, state in serialised["start_states"].items()},
            "end_states": {start: number[state] for start, state in serialised["end_states"].items()}}


def dumps(document: dict) -> bytes:
    """The file's text: sorted keys, and one line per parse state so that a
    change reads as a diff of the states it touches."""
    rows = document["table"]["states"]
    skeleton = {**document, "table": {**document["table"], "states": "@STATES@"}}
    text = json.dumps(skeleton, sort_keys=True, indent=1, ensure_ascii=True)
    lines = ",\n".join("  " + json.dumps(row, separators=(",", ":")) for row in rows)
    return text.replace('"@STATES@"', "[\n" + lines + "\n ]").encode("ascii") + b"\n"


# ---- loading ---------------------------------------------------------------------


def load(document: dict) -> Lark:
    """A lark parser from a tables document (see the module docstring)."""
    from hcl2.postlexer import PostLexer
    from lark import Lark

    memo = {int(index): value for index, value in document["lark"]["memo"].items()}
    data = dict(document["lark"]["data"])
    data["parser"] = {**data["parser"], "parser": document["table"]}
    return Lark._load_from_dict(data, memo, postlex=PostLexer(), lexer_callbacks=_LEXER_CALLBACKS,
                                _plugins={"LALR_Parser": _table_parser_class()})


_TABLE_PARSER: Optional[type[LALR_Parser]] = None


def _table_parser_class() -> type[LALR_Parser]:
    """lark's LALR parser, deserialised from `table` (lark imported only now)."""
    global _TABLE_PARSER
    if _TABLE_PARSER is not None:
        return _TABLE_PARSER
    from lark.grammar import Rule
    from lark.parsers.lalr_analysis import IntParseTable, Reduce, Shift
    from lark.parsers.lalr_parser import LALR_Parser, _Parser

    class IdentityRule(Rule):
        """A lark Rule compared and hashed by identity: lark's LALR loop looks
        a reduction's callback up with `callbacks[rule]` and checks
        `rule != end_state`; with Rule's own __hash__/__eq__ (Python code
        comparing origin and expansion symbol by symbol) that was ~1.8
        million calls, a tenth of the parse of the 1,700-file corpus. One
        IdentityRule per rule, shared by the table and the callbacks,
        makes both a C-level identity check."""

        __slots__ = ()
        __eq__ = object.__eq__
        __ne__ = object.__ne__
        __hash__ = object.__hash__

    class TableParser(LALR_Parser):
        # lark's LALR_Parser.deserialize takes the callbacks too; its base class's does not
        @classmethod
        def deserialize(  # type: ignore[override]
                cls, data: dict[str, Any], memo: dict[int, Any], callbacks: dict[Any, Any],
                debug: bool = False) -> TableParser:
            shared: dict[int, Any] = {}  # memo index -> IdentityRule
            for index, rule in memo.items():
                if isinstance(rule, Rule):
                    copy = IdentityRule.__new__(IdentityRule)
                    for name in Rule.__slots__:
                        setattr(copy, name, getattr(rule, name))
                    shared[index] = copy
            by_object = {id(memo[index]): copy for index, copy in shared.items()}
            callbacks = {by_object.get(id(key), key): callback for key, callback in callbacks.items()}
            count = len(data["states"])
            actions: list = [(Shift, state) for state in range(count)]
            actions += [(Reduce, shared[index]) if index in shared else None for index in range(max(shared) + 1)]
            names = data["tokens"]
            states = {state: dict(zip(map(names.__getitem__, row[0::2]), map(actions.__getitem__, row[1::2]),
                                      strict=True))
                      for state, row in enumerate(data["states"])}
            if not all(rule in callbacks for rule in shared.values()):
                raise ValueError("a rule of the parse table has no callback")
            inst = cls.__new__(cls)
            # what lark's own LALR_Parser.deserialize stores there too
            inst._parse_table = IntParseTable(states, data["start_states"], data["end_states"])  # type: ignore[assignment]
            inst.parser = _Parser(inst._parse_table, callbacks, debug)
            return inst

    _TABLE_PARSER = TableParser
    return TableParser

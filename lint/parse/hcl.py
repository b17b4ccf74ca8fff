"""HCL source -> lean model. The ONE module that walks python-hcl2's lark trees
(its grammar's parse tables are loaded by tables.py).

python-hcl2 gives us its LALR grammar (hcl2.lark) with positions; its own
transformer builds a JSON-like dict without positions and is slow, so we walk
the raw lark tree once and keep only what rules need: blocks, attributes,
literal values, references, function names, string fragments and comments,
each with an exact Span. `.tf.json` files are read with our position-keeping
JSON reader (tf_json.py) and mapped onto the same model.

Quirks handled here and nowhere else:
- python-hcl2 appends "\\n" to the text before parsing (lark issue 237); we do too.
- Heredoc tokens include the newline after the closing marker; spans exclude it.
- The EQ/COLON tokens swallow leading blanks; spans never start at them.
- A UTF-8 BOM is stripped by textio before we see the text, so columns count
  from the first real character; CR before LF is ignored by the grammar.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Optional, Union

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ..model import expressions as ex
from ..model.syntax import (
    NOT_LITERAL,
    TERRAGRUNT,
    TERRAGRUNT_JSON,
    TF_JSON,
    TFVARS_JSON,
    Attribute,
    Block,
    Comment,
    Expr,
    HclFile,
    ParseError,
    Span,
    StringPart,
)
from . import limits
from .limits import MAX_NESTING, nesting_message, number_value, too_complex_message
from .salvage import Layout, layout
from .tables import (
    block_comments,
    parser as _parser,  # python-hcl2's grammar, its tables shipped in the package
)
from .textio import line_starts
from .tf_json import parse_tf_json, template_references


def parse_hcl(text: str, path: str, kind: str) -> HclFile:
    """Parse decoded HCL or JSON source into an HclFile. Never raises for bad
    input: syntax errors become HclFile.error (IACM000), and the top-level
    blocks that parse on their own are kept (`_salvage`)."""
    if kind in (TF_JSON, TFVARS_JSON):
        return parse_tf_json(text, path, kind)
    if kind == TERRAGRUNT_JSON:
        return parse_tf_json(text, path, kind, template_tree=json_template_tree)
    parsed = _read(text, path, kind)
    if isinstance(parsed, HclFile):
        return parsed
    return _salvage(text, path, kind, parsed)


def _read(text: str, path: str, kind: str) -> Union[HclFile, UnexpectedInput]:
    """The HclFile of `text`, or the UnexpectedInput it fails with."""
    del block_comments[:]
    try:
        parsed = _parse_tree(_hide_core_namespace(text) + "\n")
    except _TooComplex:
        return HclFile(path, kind, error=ParseError(too_complex_message(), Span.file_start(path)))
    except UnexpectedInput as exc:
        return exc
    except RecursionError:
        return HclFile(path, kind, error=ParseError("nesting too deep to parse", Span.file_start(path)))
    except LarkError as exc:
        # the exception's text may quote the source (a secret): name its kind only
        return HclFile(path, kind, error=ParseError(f"cannot parse ({type(exc).__name__})", Span.file_start(path)))
    walker = _Walker(path, text, trees=kind == TERRAGRUNT)
    try:
        attributes, blocks = walker.body(parsed.children[0])
    except RecursionError:
        return HclFile(path, kind, error=_too_deep_error(parsed, path))
    comments = walker.comments
    if block_comments:  # inline comments: the lexer set them aside, in source order
        comments = sorted(comments + [walker.block_comment(token) for token in block_comments],
                          key=lambda comment: (comment.span.line, comment.span.col))
    return HclFile(path, kind, blocks=blocks, attributes=attributes, comments=tuple(comments), error=walker.error())


class _TooComplex(Exception):
    """More than limits.MAX_TOKENS tokens."""


def _parse_tree(source: str) -> Tree:
    """The lark tree of `source`, or _TooComplex past limits.MAX_TOKENS tokens."""
    parser = _parser()
    budget = limits.MAX_TOKENS
    if len(source) <= budget:  # every token is at least one character long: within the budget
        return parser.parse(source)
    return _parse_counting(parser, source, budget)


def _parse_counting(parser: Lark, source: str, limit: int) -> Tree:
    """`parser.parse(source)` fed token by token, stopping after `limit` tokens."""
    interactive = parser.parse_interactive(source)
    token = None
    for count, token in enumerate(interactive.iter_parse(), 1):  # noqa: B007 - the last one is fed below
        if count > limit:
            raise _TooComplex
    return interactive.feed_eof(token)


_OPENERS = frozenset({"LBRACE", "LSQB", "LPAR", "INTERP_START", "DIRECTIVE_START"})
_CLOSERS = frozenset({"RBRACE", "RSQB", "RPAR"})


def _too_deep_error(tree: Tree, path: str) -> ParseError:
    """For a tree too deep for the walker: the first bracket past
    limits.MAX_NESTING, found without recursion (the tokens in source order)."""
    depth = 0
    stack: list = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Token):
            if node.type in _OPENERS:
                depth += 1
                if depth > MAX_NESTING:
                    return ParseError(nesting_message(),  # lark's positions: see _Node
                                      Span(path, node.line, node.column, node.end_line, node.end_column))  # type: ignore[arg-type]
            elif node.type in _CLOSERS:
                depth -= 1
        else:
            stack.extend(reversed(node.children))
    return ParseError("nesting too deep to analyse", Span.file_start(path))


_CORE_CALL = re.compile(r"\bcore::(?=[A-Za-z_][\w-]*\s*\()")


def _hide_core_namespace(text: str) -> str:
    """python-hcl2's grammar knows `provider::ns::fn()` but not the built-in
    namespace `core::fn()` (Terraform 1.8+, OpenTofu 1.7+). `core::` and
    `core__` have the same length, so positions stay exact; the walker reads
    token text from the original source and maps the name back."""
    return _CORE_CALL.sub("core__", text) if "core::" in text else text


# ---- salvage ----------------------------------------------------------------

_PIECE_PARSES = 100  # the most parses one failed file may cost to find the pieces of it that parse
_NOT_A_LINE = re.compile(r"[^\n]+")


def _salvage(text: str, path: str, kind: str, failure: UnexpectedInput) -> HclFile:
    """A file that does not parse: the pieces between the cuts salvage.py
    finds (top-level items) that parse on their own are kept, the others
    blanked out, so positions stay exact (rules.md: "the file's module is
    still checked with what could be read"); what was left out is `unread`,
    raw text that IACM203 still reads. The error is the real culprit where
    the scanner sees one (an unclosed heredoc's opener), else the first
    failing piece's own syntax error."""
    found = layout(text)
    bounds = [*found.cuts, len(text)]
    read = _pieces_that_parse(text, bounds)
    starts = line_starts(text)
    error = _culprit(text, path, found, bounds, read, starts) or _syntax_error(failure, text, path)
    if any(read):
        blanked = "".join(text[bounds[i]:bounds[i + 1]] if ok
                          else _NOT_A_LINE.sub(_blank, text[bounds[i]:bounds[i + 1]])
                          for i, ok in enumerate(read))
        model = _read(blanked, path, kind)
        if isinstance(model, HclFile) and (model.blocks or model.attributes):
            unread = tuple(_unread_part(text, path, start, end, starts) for start, end in _runs(bounds, read))
            return HclFile(path, kind, model.blocks, model.attributes, model.comments, error, unread=unread)
    return HclFile(path, kind, error=error, unread=(_unread_part(text, path, 0, len(text), starts),))


def _blank(match: re.Match) -> str:
    return " " * len(match.group())


def _pieces_that_parse(text: str, bounds: list[int]) -> list[Optional[bool]]:
    """Per piece `text[bounds[i]:bounds[i + 1]]`: True when it parses on its
    own, else False, or None when not settled within _PIECE_PARSES parses.
    The whole text failed; failing runs of pieces are halved until the
    failing pieces are found, so one broken block among many costs about two
    parses of the file."""
    count = len(bounds) - 1
    read: list[Optional[bool]] = [None] * count
    failing = [(0, count)]  # runs of pieces known to fail together, the first on top
    budget = _PIECE_PARSES
    while failing:
        low, high = failing.pop()
        if high - low == 1:
            read[low] = False
            continue
        middle = (low + high) // 2
        halves = []
        for start, end in ((low, middle), (middle, high)):
            if budget == 0:
                break
            budget -= 1
            if _parses(text[bounds[start]:bounds[end]]):
                read[start:end] = [True] * (end - start)
            else:
                halves.append((start, end))
        failing.extend(reversed(halves))
    return read


def _parses(piece: str) -> bool:
    try:
        _parse_tree(_hide_core_namespace(piece) + "\n")
    except (LarkError, _TooComplex, RecursionError):
        return False
    return True


def _culprit(text: str, path: str, found: Layout, bounds: list[int], read: list[Optional[bool]],
             starts: array) -> Optional[ParseError]:
    """The first of: the scanner's problems, and the syntax error of the first
    piece that fails on its own, placed in the whole file."""
    candidates = []
    for offset, length, message in found.problems:
        line, col = _line_col(starts, offset)
        candidates.append(ParseError(message, Span(path, line, col, line, col + length)))
    first = next((i for i, ok in enumerate(read) if ok is False), None)
    if first is not None:
        piece = text[bounds[first]:bounds[first + 1]]
        try:
            _parse_tree(_hide_core_namespace(piece) + "\n")
        except UnexpectedInput as exc:
            shift = _line_col(starts, bounds[first])[0] - 1
            local = _syntax_error(exc, piece, path)
            span = local.span
            candidates.append(ParseError(local.message, Span(path, span.line + shift, span.col,
                                                             span.end_line + shift, span.end_col)))
        except (LarkError, _TooComplex, RecursionError):
            pass
    return min(candidates, key=lambda error: (error.span.line, error.span.col)) if candidates else None


def _runs(bounds: list[int], read: list[Optional[bool]]) -> list[tuple[int, int]]:
    """(start, end) offsets of each run of pieces that were not read."""
    runs: list[tuple[int, int]] = []
    for index, ok in enumerate(read):
        if ok:
            continue
        if runs and runs[-1][1] == bounds[index]:
            runs[-1] = (runs[-1][0], bounds[index + 1])
        else:
            runs.append((bounds[index], bounds[index + 1]))
    return runs


def _unread_part(text: str, path: str, start: int, end: int, starts: array) -> StringPart:
    """`text[start:end]` (from a line start), without the blank lines that end it, with its span."""
    part = text[start:end].rstrip()
    line, col = _line_col(starts, start)
    last_newline = part.rfind("\n")
    end_line = line + part.count("\n")
    end_col = (len(part) - last_newline) if last_newline >= 0 else col + len(part)
    return StringPart(part, Span(path, line, col, end_line, end_col))


def _line_col(starts: array, offset: int) -> tuple[int, int]:
    line = bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


# ---- errors -----------------------------------------------------------------

_TOKEN_NAMES = {
    "EQ": '"="', "LBRACE": '"{"', "RBRACE": '"}"', "LSQB": '"["', "RSQB": '"]"', "LPAR": '"("', "RPAR": '")"',
    "COMMA": '","', "DOT": '"."', "COLON": '":"', "DBLQUOTE": "'\"'", "NAME": "a name", "NL_OR_COMMENT": "a newline",
    "$END": "end of file", "INTERP_START": '"${"', "QMARK": '"?"',
}


def _syntax_error(exc: UnexpectedInput, text: str, path: str) -> ParseError:
    line, col = getattr(exc, "line", -1), getattr(exc, "column", -1)
    if (isinstance(exc, UnexpectedToken) and exc.token.type == "$END") or isinstance(exc, UnexpectedEOF) or line < 1:
        lines = text.split("\n")
        line, col = len(lines), len(lines[-1]) + 1
        return ParseError("unexpected end of file (unclosed block, bracket or string?)",
                          Span(path, line, col, line, col))
    if isinstance(exc, UnexpectedCharacters):
        char = exc.char
        shown = repr(char) if char.isprintable() and char != "'" else f"U+{ord(char):04X}"
        message = f"unexpected character {shown}"
    elif isinstance(exc, UnexpectedToken):
        token = exc.token
        value = str(token).strip() or str(token)
        if token.type == "NL_OR_COMMENT":
            found = "newline" if value.startswith("\n") or not value else "comment"
        else:
            found = _describe_token(token.type, value)
        expected = sorted({_TOKEN_NAMES.get(t, t.lower()) for t in (exc.expected or ()) if not t.startswith("__")})
        message = f"unexpected {found}"
        if 0 < len(expected) <= 4:
            message += f", expected {' or '.join(expected)}"
    else:
        message = "syntax error"
    return ParseError(message, Span(path, line, col, line, col + 1))


_PUNCTUATION = re.compile(r"[^\w\s\"'`\\]{1,3}")


def _describe_token(token_type: str, value: str) -> str:
    """Punctuation is quoted (`'}'`); names, numbers and string contents are
    only named, never quoted: the text could be a password or a key."""
    if value == '"' or _PUNCTUATION.fullmatch(value):
        return repr(value)
    if token_type in ("NAME", "IF", "ELSE", "ENDIF", "FOR", "ENDFOR", "IN", "FOR_EACH"):
        return "name"
    if token_type in ("INT_LITERAL", "DECIMAL", "EXP_MARK", "FLOAT_LITERAL"):
        return "number"
    return "text"


# ---- tree walk --------------------------------------------------------------


# A node of python-hcl2's lark tree. lark types a token's positions (line,
# column, ...) Optional, for tokens made by hand; its lexer always sets them,
# so the walker reads them as ints (the `type: ignore[arg-type]`s).
_Node = Union[Tree, Token]


def _first_token(node: _Node) -> Optional[Token]:
    """The first token under `node` (None for an empty subtree, e.g. `{}`'s body)."""
    current = node
    while not isinstance(current, Token):  # the leftmost path, unless it meets an empty subtree
        if not current.children:
            return _search_first(node)
        current = current.children[0]
    return current


def _last_token(node: _Node) -> Optional[Token]:
    current = node
    while not isinstance(current, Token):
        if not current.children:
            return _search_last(node)
        current = current.children[-1]
    return current


def _search_first(node: _Node) -> Optional[Token]:
    if isinstance(node, Token):
        return node
    for child in node.children:
        token = _search_first(child)
        if token is not None:
            return token
    return None


def _search_last(node: _Node) -> Optional[Token]:
    if isinstance(node, Token):
        return node
    for child in reversed(node.children):
        token = _search_last(child)
        if token is not None:
            return token
    return None


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")
_HEREDOC_INTERP_RE = re.compile(r"(?<!\$)\$\{|(?<!%)%\{")
_CRS_BEFORE_NEWLINE = re.compile(r"\r+\n")
_INDENT_OF_TEXT_LINE = re.compile(r"(?m)^[ \t]*(?=[^\n]*\S)")  # a `<<-` body line's indent, unless the line is blank


_LEGACY_CHAIN = re.compile(r"\.[0-9]")
_DIRECTIVE_KEYWORDS = frozenset({"IF", "ELSE", "ENDIF", "FOR", "ENDFOR"})
_LINE_BREAK_NODES = frozenset({"conditional", "binary_op", "binary_term"})
# expressions whose newlines are whitespace (spec.md: parentheses, brackets, function arguments, for expressions)
_NEWLINES_IGNORED = frozenset({"tuple", "function_call", "braces_index", "for_tuple_expr", "for_object_expr"})


def _escape_problem(sequence: str) -> Optional[str]:
    """Why `\\` + `sequence` (an _ESCAPE_RE group) is not an HCL escape, or None."""
    if sequence in _ESCAPES:
        return None
    if len(sequence) > 1:  # uNNNN or UNNNNNNNN
        code = int(sequence[1:], 16)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            return f"invalid escape sequence: cannot encode character U+{code:04X} in UTF-8"
        return None
    if sequence in "uU":
        digits = "four" if sequence == "u" else "eight"
        return f"invalid escape sequence: \\{sequence} must be followed by {digits} hexadecimal digits"
    shown = sequence if sequence.isprintable() else f"U+{ord(sequence):04X}"
    return (f'invalid escape sequence "\\{shown}": a quoted string accepts only \\n, \\r, \\t, \\", \\\\, '
            "\\uNNNN and \\UNNNNNNNN")


def _ends_with_newline(item: Tree) -> bool:
    """Whether a body item's own last token ends its line: a heredoc (its token
    holds the newline after the marker) or a newline or comment that an
    operator's rule took in (`a = 1 + 2` then a newline)."""
    last = _last_token(item)
    return last is not None and last.type in ("NL_OR_COMMENT", "HEREDOC_TEMPLATE", "HEREDOC_TEMPLATE_TRIM")


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw

    def repl(match: re.Match) -> str:
        seq = match.group(1)
        if seq[0] in "uU" and len(seq) > 1:
            try:
                return chr(int(seq[1:], 16))
            except ValueError:
                return match.group(0)
        return _ESCAPES.get(seq, match.group(0))

    return _ESCAPE_RE.sub(repl, raw)


def _negated(number: Any) -> Any:
    if isinstance(number, str):  # an integer too long to convert, kept as text (limits.number_value)
        return number[1:] if number.startswith("-") else "-" + number
    return -number


class _Walker:
    __slots__ = ("comments", "errors", "newlines_end", "path", "statement_end", "text", "trees")

    def __init__(self, path: str, text: str, trees: bool = False):
        self.path = path
        self.text = text
        self.comments: list[Comment] = []
        self.trees = trees  # attach expression trees (Terragrunt configuration)
        self.errors: list[ParseError] = []  # what Terraform rejects although python-hcl2's grammar accepts it
        # Outside brackets a newline ends an argument (or an object's element):
        # while walking such an expression, `newlines_end` is True and
        # `statement_end` is its last token (a newline there is its end).
        self.newlines_end = False
        self.statement_end: Optional[Token] = None

    def fail(self, message: str, span: Span, related: tuple[tuple[Span, str], ...] = ()) -> None:
        self.errors.append(ParseError(message, span, related))

    def error(self) -> Optional[ParseError]:
        """The first error in the file (IACM000 reports one per file)."""
        return min(self.errors, key=lambda e: (e.span.line, e.span.col)) if self.errors else None

    def at(self, node: Optional[_Node]) -> Span:
        """A one-character span at the first character of `node`."""
        assert node is not None  # what the parser made holds tokens
        start = self.span(node)
        return Span(self.path, start.line, start.col, start.line, start.col + 1)

    # spans ---------------------------------------------------------------
    def span(self, node: _Node) -> Span:
        if isinstance(node, Token):
            return Span(self.path, node.line, node.column, node.end_line, node.end_column)  # type: ignore[arg-type]
        first, last = _first_token(node), _last_token(node)
        assert first is not None and last is not None  # a node with a span holds tokens
        return Span(self.path, first.line, first.column, last.end_line, last.end_column)  # type: ignore[arg-type]

    def span_between(self, first: _Node, last: _Node) -> Span:
        a, b = self.span(first), self.span(last)
        return Span(self.path, a.line, a.col, b.end_line, b.end_col)

    def source(self, node: _Node) -> str:
        if isinstance(node, Token):
            return self.text[node.start_pos:node.end_pos]
        first, last = _first_token(node), _last_token(node)
        assert first is not None and last is not None  # a node with source text holds tokens
        return self.text[first.start_pos:last.end_pos]

    # structure -----------------------------------------------------------
    def body(self, body: Tree, closing: Optional[_Node] = None) -> tuple[tuple[Attribute, ...], tuple[Block, ...]]:
        """A body's attributes and blocks; `closing` is the brace that ends a
        block's body (None for the file's). Reports what python-hcl2's grammar
        lets pass and HCL does not (parser.go): an argument set twice, and
        items not ended by a newline (`status = "Enabled"}`, `a = 1 b = 2`)
        outside the one-line form `name { argument = value }`."""
        attributes: list[Attribute] = []
        blocks: list[Block] = []
        first_set: dict[str, Span] = {}
        children = body.children
        one_line = closing is not None and bool(children) and children[0].data != "new_line_or_comment"
        unended = None  # the item read last, while no newline has followed it
        for child in children:
            data = child.data
            if data == "new_line_or_comment":
                self.note_comments(child)
                unended = None
                continue
            if unended is not None and not one_line:
                self.missing_newline(unended, _first_token(child))
            if data == "attribute":
                attribute = self.attribute(child)
                first = first_set.setdefault(attribute.name, attribute.name_span)
                if first is not attribute.name_span:
                    self.fail(f'attribute redefined: the argument "{attribute.name}" was already set on line '
                              f"{first.line}; each argument may be set only once", attribute.name_span,
                              ((first, f'"{attribute.name}" first set here'),))
                attributes.append(attribute)
            else:
                blocks.append(self.block(child))
            unended = None if _ends_with_newline(child) else child
        if one_line and closing is not None:
            self.check_one_line_body(children, unended, closing)
        elif unended is not None and closing is not None:
            self.missing_newline(unended, closing)
        return tuple(attributes), tuple(blocks)

    def missing_newline(self, item: Tree, after: Optional[_Node]) -> None:
        what = "an argument" if item.data == "attribute" else "a block definition"
        self.fail(f"missing newline after {what[what.index(' ') + 1:]}: {what} must end with a newline", self.at(after))

    def check_one_line_body(self, children: list[Tree], unended: Optional[Tree], closing: _Node) -> None:
        """`name { argument = value }`: one argument, closed on its line."""
        first = children[0]
        if first.data == "block":
            self.fail("argument definition required: a one-line block holds a single argument; "
                      "put a nested block on a line of its own", self.span(first.children[0]))
        elif len(children) > 1 or unended is None:
            after = children[1] if len(children) > 1 else closing
            self.fail("invalid single-argument block definition: a one-line block must be closed on the same "
                      "line, right after its argument", self.at(after))

    def note_comments(self, node: Tree) -> None:
        for token in node.children:
            value = self.source(token)
            if value[:1] in ("#", "/"):
                start = self.span(token)
                stripped = value.rstrip("\r\n")
                end_line = start.line + stripped.count("\n")
                end_col = (len(stripped) - stripped.rfind("\n")) if "\n" in stripped else start.col + len(stripped)
                self.comments.append(Comment(stripped.rstrip("\r"),
                                             Span(self.path, start.line, start.col, end_line, end_col)))

    def attribute(self, node: Tree) -> Attribute:
        name_node, expression = node.children[0], node.children[-1]
        name = self.name_of(name_node)
        expr = self.statement(expression)
        if self.trees:
            expr = replace(expr, tree=self.tree(expression))
        name_span = self.span(name_node)
        return Attribute(name, name_span, expr,
                         Span(self.path, name_span.line, name_span.col, expr.span.end_line, expr.span.end_col))

    def statement(self, node: _Node) -> Expr:
        """`expr(node)` for an argument's or an object element's value, where
        a newline outside brackets would end it (hclsyntax's peeker includes
        newlines there)."""
        outer = self.newlines_end, self.statement_end
        self.newlines_end, self.statement_end = True, _last_token(node)
        try:
            return self.expr(node)
        finally:
            self.newlines_end, self.statement_end = outer

    def inside_brackets(self, node: Tree, refs: list[str], funcs: list[str], strings: list[StringPart]) -> None:
        """`_collect` over the children of `node`, whose newlines are whitespace."""
        outer = self.newlines_end
        self.newlines_end = False
        try:
            for child in node.children:
                if isinstance(child, Tree):
                    self._collect(child, refs, funcs, strings)
        finally:
            self.newlines_end = outer

    def check_line_breaks(self, node: Tree) -> None:
        """A newline inside an operation or a conditional, outside brackets:
        python-hcl2's grammar takes it, HCL ends the argument there
        (`a = x\n  ? 1 : 2`, `a = x &&\n  y`)."""
        for child in node.children:
            if isinstance(child, Token):
                if "\n" in child.value:  # an operator the post-lexer joined with the newline before it
                    self.line_break(child, at_operator=True)
            elif child.data == "new_line_or_comment":
                if child.children[-1] is not self.statement_end:
                    self.line_break(child.children[0], at_operator=False)
            elif child.data == "binary_operator":
                operator = child.children[0]
                if isinstance(operator, Token) and "\n" in operator:
                    self.line_break(operator, at_operator=True)

    def check_separators(self, node: Tree) -> None:
        """An object's elements are separated by commas or newlines; python-hcl2's grammar needs neither."""
        separated = True
        for elem in node.children:
            if isinstance(elem, Token):
                separated = separated or elem.type == "COMMA"
            elif elem.data == "new_line_or_comment":
                separated = True
            elif elem.data == "object_elem":
                if not separated:
                    self.fail("missing attribute separator: expected a newline or comma before the next element",
                              self.at(elem))
                separated = _ends_with_newline(elem)

    def line_break(self, token: _Node, at_operator: bool) -> None:
        what = "line starts with an operator" if at_operator else "expression split over lines"
        self.fail(f"{what} outside brackets: a newline ends the argument there; wrap the expression in "
                  "parentheses to split it over lines", self.at(token))

    def block(self, node: Tree) -> Block:
        header: list = []
        body_node = None
        for child in node.children:
            if isinstance(child, Token):
                continue  # braces
            if child.data == "body":
                body_node = child
            elif child.data == "new_line_or_comment":  # between the header and "{"
                self.note_comments(child)
                self.fail('invalid block definition: the block\'s "{" must be on the same line as its header',
                          self.at(child.children[0]))
            else:
                header.append(child)
        type_node, label_nodes = header[0], header[1:]
        labels = tuple(self.label_text(n) for n in label_nodes)
        attributes, blocks = self.body(body_node, node.children[-1]) if body_node is not None else ((), ())
        return Block(
            type=self.name_of(type_node),
            labels=labels,
            header_span=self.span_between(type_node, header[-1]),
            span=self.span(node),
            attributes=attributes,
            blocks=blocks,
            label_spans=tuple(self.span(n) for n in label_nodes),
        )

    def name_of(self, node: _Node) -> str:
        if isinstance(node, Token):
            return str(node)
        if node.data == "string":
            return self.label_text(node)
        return str(node.children[0])

    def label_text(self, node: Tree) -> str:
        if node.data != "string":
            return self.name_of(node)
        pieces = []
        for part in node.children:
            if not isinstance(part, Tree):
                continue  # quotes
            inner = part.children[0]
            if isinstance(inner, Token):
                if inner.type == "STRING_CHARS":
                    self.check_quoted(inner)
                pieces.append(_unescape(str(inner)))
            else:
                self.fail('invalid string literal: a label cannot hold a template sequence; write "$${" or "%%{" '
                          "for a literal one", self.span(inner.children[0]))
        return "".join(pieces)

    def check_quoted(self, token: Token) -> None:
        """Escapes and line breaks of a quoted string's literal text, as HCL
        checks them (hclsyntax ParseStringLiteralToken); python-hcl2 takes
        any backslash sequence, and newlines."""
        raw = self.source(token)
        start = self.span(token)
        if "\n" in raw:  # at the end of the line where the string should have been closed
            column = start.col + raw.index("\n")
            self.fail('invalid multi-line string: a quoted string cannot span lines; write "\\n" or use a heredoc',
                      Span(self.path, start.line, column, start.line, column + 1))
        if "\\" not in raw:
            return
        for match in _ESCAPE_RE.finditer(raw):
            problem = _escape_problem(match.group(1))
            if problem:
                offset = match.start()
                line = start.line + raw.count("\n", 0, offset)
                column = offset - raw.rfind("\n", 0, offset) if line != start.line else start.col + offset
                self.fail(problem, Span(self.path, line, column, line, column + len(match.group())))
                return

    def block_comment(self, token: Token) -> Comment:
        """The Comment of an inline comment token the lexer set aside (tables.block_comments)."""
        text = self.text[token.start_pos:token.end_pos]
        return Comment(text, self.span(token))

    # expressions ---------------------------------------------------------
    def expr(self, node: _Node) -> Expr:
        """An Expr for any expression node; collections keep their elements."""
        while isinstance(node, Tree) and node.data == "expr_term" and len(node.children) == 1:
            node = node.children[0]
        if isinstance(node, Token):
            return self._opaque(node, "other")
        data = node.data
        if data == "string":
            return self.string(node)
        if data in ("heredoc_template", "heredoc_template_trim"):
            return self.heredoc(node.children[0], trim=data.endswith("trim"))
        span = self.span(node)
        if data == "int_lit" or data == "float_lit":
            raw = str(node.children[0])
            return Expr("number", raw, span, number_value(raw))
        if data == "literal_value":
            raw = str(node.children[0])
            return Expr("null" if raw == "null" else "bool", raw, span,
                        {"true": True, "false": False, "null": None}[raw])
        if data == "tuple":
            outer, self.newlines_end = self.newlines_end, False
            items = tuple(self.expr(c) for c in node.children
                          if isinstance(c, Tree) and c.data != "new_line_or_comment")
            self.newlines_end = outer
            self._comments_in(node)
            return Expr.collection("tuple", self.source(node), span, items)
        if data == "object":
            self.check_separators(node)
            entries = []
            for elem in node.children:
                if isinstance(elem, Tree) and elem.data == "object_elem":
                    key_node, value_node = elem.children[0], elem.children[-1]
                    entries.append((self.object_key(key_node), self.span(key_node), self.statement(value_node)))
            self._comments_in(node)
            return Expr.collection("object", self.source(node), span, (), tuple(entries))
        if data == "unary_op" and str(node.children[0]) == "-":
            inner = self.expr(node.children[1])
            if inner.kind == "number":
                return Expr("number", self.source(node), span, _negated(inner.value))
        if data == "expr_term":  # parenthesised
            outer, self.newlines_end = self.newlines_end, False
            inner = self.expr(next(c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"))
            self.newlines_end = outer
            return Expr(inner.kind, self.source(node), span, inner.value, inner.references, inner.functions,
                        inner.strings, inner.items, inner.entries)
        kind = "other"
        if data == "function_call":
            kind = "call"
        elif data in ("get_attr_expr_term", "identifier"):
            kind = "reference"
        return self._opaque(node, kind, span)

    def object_key(self, key_node: Tree) -> str:
        inner = key_node.children[0]
        while isinstance(inner, Tree) and inner.data == "expr_term" and len(inner.children) == 1:
            inner = inner.children[0]
        if isinstance(inner, Tree):
            if inner.data in ("identifier", "keyword"):
                return str(inner.children[0])
            if inner.data == "string":
                expr = self.string(inner)
                if expr.is_literal:
                    return expr.value
        return self.source(key_node)

    def string(self, node: Tree) -> Expr:
        parts: list[StringPart] = []
        refs: list[str] = []
        funcs: list[str] = []
        templated = False
        pieces: list[str] = []
        directives: list[Token] = []  # the `if`, `else` and `for` keywords of the directives open, innermost last
        for part in node.children:
            if isinstance(part, Token):
                continue  # quotes
            inner = part.children[0]
            if isinstance(inner, Token):
                if inner.type == "STRING_CHARS" and ("\\" in self.source(inner) or "\n" in self.source(inner)):
                    self.check_quoted(inner)
                text = self.string_chars(inner)
                pieces.append(text)
                parts.append(StringPart(text, self.span(inner)))
            else:
                templated = True
                if inner.data != "interpolation":
                    self.check_directive(inner, directives)
                self.inside_brackets(inner, refs, funcs, parts)
        for keyword in directives:
            closer = "endfor" if keyword == "for" else "endif"
            self.fail(f"unexpected end of template: the {keyword} directive has no {closer}",
                      self.at(keyword))
        span = self.span(node)
        source = self.source(node)
        if templated:
            return Expr("template", source, span, NOT_LITERAL, tuple(dict.fromkeys(refs)), tuple(dict.fromkeys(funcs)),
                        tuple(parts))
        value = "".join(pieces)
        return Expr("string", source, span, value, strings=(StringPart(value, span),) if value else ())

    def check_directive(self, directive: Tree, open_directives: list[Token]) -> None:
        """`%{ if }`, `%{ else }`, `%{ endif }`, `%{ for }`, `%{ endfor }` must
        nest (hclsyntax parser_template.go); python-hcl2 reads each one alone."""
        keyword = next(c for c in directive.children if isinstance(c, Token) and c.type in _DIRECTIVE_KEYWORDS)
        name = str(keyword)
        if name in ("if", "for"):
            open_directives.append(keyword)
            return
        innermost = str(open_directives[-1]) if open_directives else None
        if innermost in {"else": ("if",), "endif": ("if", "else"), "endfor": ("for",)}[name]:
            if name == "else":
                open_directives[-1] = keyword
            else:
                open_directives.pop()
            return
        self.fail(f"unexpected {name} directive: " + (f"the {innermost} directive before it is still open"
                                                      if innermost else "no directive is open"), self.at(keyword))

    def heredoc(self, token: _Node, trim: bool) -> Expr:
        """Spans and text found with find/rfind and regexes over the body, not
        lists of its lines (~30 bytes a line: a heredoc of blank lines cost
        ten times its size)."""
        raw = self.source(token)
        start = self.span(token)
        source = raw.rstrip()  # the newline after the closing marker, and blanks before it
        header_end = source.find("\n")  # the token holds the header line and the marker line at least
        marker_start = source.rfind("\n") + 1
        end_line = start.line + source.count("\n")
        span = Span(self.path, start.line, start.col, end_line, len(source) - marker_start + 1)
        body = _CRS_BEFORE_NEWLINE.sub("\n", source[header_end + 1:marker_start])  # each line's trailing CRs dropped
        if trim and body:
            cut = min((len(m.group()) for m in _INDENT_OF_TEXT_LINE.finditer(body)), default=0)
            if cut:
                body = re.sub(f"(?m)^.{{0,{cut}}}", "", body)
        strings: tuple[StringPart, ...] = ()
        if marker_start > header_end + 1:  # at least one body line
            last_line = source[source.rfind("\n", 0, marker_start - 1) + 1:marker_start - 1].rstrip("\r")
            strings = (StringPart(body, Span(self.path, start.line + 1, 1, end_line - 1, len(last_line) + 1)),)
        if _HEREDOC_INTERP_RE.search(body):
            refs = template_references(body)
            return Expr("heredoc", source, span, NOT_LITERAL, refs, (), strings)
        return Expr("heredoc", source, span, body.replace("$${", "${").replace("%%{", "%{"), strings=strings)

    def _opaque(self, node: _Node, kind: str, span: Optional[Span] = None) -> Expr:
        refs: list[str] = []
        funcs: list[str] = []
        strings: list[StringPart] = []
        self._collect(node, refs, funcs, strings)
        return Expr(kind, self.source(node), span or self.span(node), NOT_LITERAL, tuple(dict.fromkeys(refs)),
                    tuple(dict.fromkeys(funcs)), tuple(strings))

    def _collect(self, node: _Node, refs: list[str], funcs: list[str], strings: list[StringPart]) -> None:
        """References, function names and literal strings anywhere under node."""
        if isinstance(node, Token):
            return
        data = node.data
        if data == "get_attr_expr_term" or data == "index_expr_term" or data == "attr_splat_expr_term" \
                or data == "full_splat_expr_term":
            chain = self._traversal(node, refs, funcs, strings)
            if chain:
                refs.append(chain)
            return
        if data == "identifier":
            refs.append(str(node.children[0]))
            return
        if data == "function_call":
            names = [str(c.children[0]) for c in node.children if isinstance(c, Tree) and c.data == "identifier"]
            if len(names) == 1:
                funcs.append("core::" + names[0][6:] if names[0].startswith("core__") else names[0])
            else:
                funcs.append("provider::" + "::".join(names[1:]))
            for child in node.children:
                if isinstance(child, Tree) and child.data == "arguments":
                    self.inside_brackets(child, refs, funcs, strings)
            return
        if data == "string":
            expr = self.string(node)
            refs.extend(expr.references)
            funcs.extend(expr.functions)
            strings.extend(expr.strings)
            return
        if data in ("heredoc_template", "heredoc_template_trim"):
            expr = self.heredoc(node.children[0], data.endswith("trim"))
            refs.extend(expr.references)
            strings.extend(expr.strings)
            return
        if data == "object_elem_key":
            inner = node.children[0]
            while isinstance(inner, Tree) and inner.data == "expr_term" and len(inner.children) == 1:
                inner = inner.children[0]
            if isinstance(inner, Tree) and inner.data in ("identifier", "keyword"):
                return  # a literal key, not a reference
        if data == "new_line_or_comment":
            self.note_comments(node)
            return
        if data == "for_intro":
            for child in node.children:  # the iterator variables are not references
                if isinstance(child, Tree) and child.data not in ("identifier", "new_line_or_comment"):
                    self._collect(child, refs, funcs, strings)
            return
        if data == "object":
            self.check_separators(node)
        elif data == "object_elem":
            outer = self.newlines_end, self.statement_end
            self.newlines_end, self.statement_end = True, _last_token(node)
            for child in node.children:
                if isinstance(child, Tree):
                    self._collect(child, refs, funcs, strings)
            self.newlines_end, self.statement_end = outer
            return
        elif self.newlines_end:
            if data in _LINE_BREAK_NODES:
                self.check_line_breaks(node)
            elif data in _NEWLINES_IGNORED or (data == "expr_term" and isinstance(node.children[0], Token)):
                self.inside_brackets(node, refs, funcs, strings)
                return
        for child in node.children:
            if isinstance(child, Tree):
                self._collect(child, refs, funcs, strings)

    def _traversal(self, node: Tree, refs: list, funcs: list, strings: list) -> str:
        """`a.b.c[0].d` -> "a.b.c" (the static part); index expressions inside
        are collected as well."""
        names: list[str] = []
        current = node
        trailing_ok = True
        suffix: list[str] = []
        while isinstance(current, Tree):
            data = current.data
            if data == "expr_term" and len(current.children) == 1:
                current = current.children[0]
                continue
            if data == "get_attr_expr_term":
                get_attr = current.children[1]
                suffix.append(str(get_attr.children[1].children[0]))
                current = current.children[0]
                continue
            if data in ("index_expr_term", "attr_splat_expr_term", "full_splat_expr_term"):
                if data == "index_expr_term" and current.children[1].data == "short_index":
                    self.check_short_index(current)
                self._collect(current.children[1], refs, funcs, strings)
                suffix.clear()  # only the part before the first index is static
                current = current.children[0]
                continue
            if data == "identifier":
                names.append(str(current.children[0]))
                break
            self._collect(current, refs, funcs, strings)
            trailing_ok = False
            break
        if not names or not trailing_ok:
            return ""
        return ".".join(names + list(reversed(suffix)))

    def check_short_index(self, node: Tree) -> None:
        """`x.0` (HCL's legacy index) after a number is one number token to HCL:
        `10.0.0.0/16` or `1.2.3` unquoted is an invalid number literal; and
        `x.0.1` reads `0.1` as a number, so HCL rejects chained legacy indexes."""
        base = node.children[0]
        while isinstance(base, Tree) and base.data == "expr_term" and len(base.children) == 1:
            base = base.children[0]
        index = node.children[1].children[1]
        if isinstance(base, Tree) and base.data in ("int_lit", "float_lit"):
            self.fail("invalid number literal: an address, CIDR block or version such as 10.0.0.0/16 must be quoted",
                      self.span_between(base, index))
        elif isinstance(index, Token) and _LEGACY_CHAIN.match(self.text, index.end_pos):  # type: ignore[arg-type]
            self.fail(f"invalid legacy index syntax: .{index}.N reads as a number; write [{index}][N] instead",
                      self.at(index))

    def _comments_in(self, node: Tree) -> None:
        for child in node.children:
            if isinstance(child, Tree):
                if child.data == "new_line_or_comment":
                    self.note_comments(child)
                elif child.data == "object_elem":
                    for sub in child.children:
                        if isinstance(sub, Tree) and sub.data == "new_line_or_comment":
                            self.note_comments(sub)

    def for_tree(self, node: Tree, span: Span) -> ex.Node:
        """`[for k, v in coll : result if cond]` / `{for … : key => result …}`."""
        if any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in node.children):
            return ex.Node(ex.OTHER, span, name="grouping for")
        parts = [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]
        intro, rest = parts[0], parts[1:]
        names = [str(c.children[0]) for c in intro.children if isinstance(c, Tree) and c.data == "identifier"]
        collection = [c for c in intro.children if isinstance(c, Tree)
                      and c.data not in ("identifier", "new_line_or_comment")][-1]
        condition: ex.Node = ex.Node(ex.LITERAL, span, True)
        if rest and rest[-1].data == "for_cond":
            cond_parts = [c for c in rest.pop().children if isinstance(c, Tree) and c.data != "new_line_or_comment"]
            condition = self.tree(cond_parts[0])
        iterators = (names[0] if len(names) == 2 else None, names[-1])
        kind = "object" if node.data == "for_object_expr" else "tuple"
        return ex.Node(ex.FOR, span, iterators, kind,
                       (self.tree(collection), *(self.tree(r) for r in rest), condition))

    # expression trees (Terragrunt configuration) -------------------------
    def tree(self, node: _Node) -> ex.Node:
        """The structure of an expression (model/expressions.py), for
        Terragrunt's static evaluation."""
        while isinstance(node, Tree) and node.data == "expr_term" and len(node.children) == 1:
            node = node.children[0]
        if isinstance(node, Token):
            return ex.Node(ex.OTHER, self.span(node), name="token")
        data = node.data
        span = self.span(node)
        subtrees = [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]
        if data == "string":
            return self.string_tree(node)
        if data in ("heredoc_template", "heredoc_template_trim"):
            heredoc = node.children[0]
            assert isinstance(heredoc, Token)  # the grammar's heredoc rules hold one token
            return self.heredoc_tree(heredoc, trim=data.endswith("trim"))
        if data in ("int_lit", "float_lit"):
            return ex.Node(ex.LITERAL, span, number_value(str(node.children[0])))
        if data == "literal_value":
            return ex.Node(ex.LITERAL, span, {"true": True, "false": False, "null": None}[str(node.children[0])])
        if data == "tuple":
            return ex.Node(ex.TUPLE, span, children=tuple(self.tree(c) for c in subtrees))
        if data == "object":
            items = []
            for elem in subtrees:
                if elem.data == "object_elem":
                    key_node, value_node = elem.children[0], elem.children[-1]
                    pair = (self.key_tree(key_node), self.tree(value_node))
                    items.append(ex.Node(ex.ITEM, self.span(elem), children=pair))
            return ex.Node(ex.OBJECT, span, children=tuple(items))
        if data == "identifier":
            return ex.Node(ex.REF, span, name=str(node.children[0]))
        if data == "expr_term":  # parenthesised
            return self.tree(subtrees[0])
        if data == "get_attr_expr_term":
            target, get_attr = node.children[0], node.children[1]
            name_node = get_attr.children[1]
            return ex.Node(ex.ATTR, span, name=str(name_node.children[0]), children=(self.tree(target),))
        if data == "index_expr_term":
            target, index = node.children[0], node.children[1]
            if index.data == "short_index":
                raw = str(index.children[1])
                key = ex.Node(ex.LITERAL, self.span(index.children[1]), number_value(raw))
            else:
                key = self.tree(next(c for c in index.children
                                     if isinstance(c, Tree) and c.data != "new_line_or_comment"))
            return ex.Node(ex.INDEX, span, children=(self.tree(target), key))
        if data == "function_call":
            names = [str(c.children[0]) for c in node.children if isinstance(c, Tree) and c.data == "identifier"]
            name = ("core::" + names[0][6:] if names[0].startswith("core__") else names[0]) if len(names) == 1 \
                else "provider::" + "::".join(names[1:])
            arguments = next((c for c in node.children if isinstance(c, Tree) and c.data == "arguments"), None)
            args: tuple[ex.Node, ...] = ()
            expand = False
            if arguments is not None:
                args = tuple(self.tree(c) for c in arguments.children
                             if isinstance(c, Tree) and c.data != "new_line_or_comment")
                expand = any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in arguments.children)
            return ex.Node(ex.CALL, span, expand, name, args)
        if data == "conditional":
            return ex.Node(ex.COND, span, children=tuple(self.tree(c) for c in subtrees[:3]))
        if data == "binary_op":
            term = subtrees[1]
            operator_node = next(c for c in term.children if isinstance(c, Tree) and c.data == "binary_operator")
            operand = [c for c in term.children
                       if isinstance(c, Tree) and c.data not in ("binary_operator", "new_line_or_comment")]
            return ex.Node(ex.BINARY, span, name=str(operator_node.children[0]),
                           children=(self.tree(subtrees[0]), self.tree(operand[0])))
        if data == "unary_op":
            return ex.Node(ex.UNARY, span, name=str(node.children[0]), children=(self.tree(node.children[1]),))
        if data in ("for_tuple_expr", "for_object_expr"):
            return self.for_tree(node, span)
        if data in ("attr_splat_expr_term", "full_splat_expr_term"):
            return ex.Node(ex.OTHER, span, name="splat")
        return ex.Node(ex.OTHER, span, name=data)

    def key_tree(self, key_node: Tree) -> ex.Node:
        """An object key: a bare name is the literal string it spells."""
        inner = key_node.children[0]
        while isinstance(inner, Tree) and inner.data == "expr_term" and len(inner.children) == 1:
            inner = inner.children[0]
        if isinstance(inner, Tree) and inner.data in ("identifier", "keyword"):
            return ex.Node(ex.LITERAL, self.span(inner), str(inner.children[0]))
        if isinstance(inner, Token):
            return ex.Node(ex.LITERAL, self.span(inner), str(inner))
        return self.tree(inner)

    def string_chars(self, token: Token) -> str:
        """The text of a literal stretch of a quoted string (escapes decoded)."""
        raw = self.source(token)
        if token.type == "STRING_CHARS":
            return _unescape(raw)
        if token.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
            return raw[1:]
        return raw

    def string_tree(self, node: Tree) -> ex.Node:
        parts: list[ex.Node] = []
        for part in node.children:
            if isinstance(part, Token):
                continue  # quotes
            inner = part.children[0]
            if isinstance(inner, Token):
                text = self.string_chars(inner)
                parts.append(ex.Node(ex.TEXT, self.span(inner), text))
            elif inner.data == "interpolation":
                expression = next(c for c in inner.children if isinstance(c, Tree))
                parts.append(self.tree(expression))
            else:  # a template directive: the string depends on it
                return ex.Node(ex.OTHER, self.span(node), name="directive")
        span = self.span(node)
        if all(p.kind == ex.TEXT for p in parts):
            return ex.Node(ex.LITERAL, span, "".join(p.value for p in parts))
        return ex.Node(ex.TEMPLATE, span, children=tuple(parts))

    def heredoc_tree(self, token: Token, trim: bool) -> ex.Node:
        """A heredoc as a template: one `text` part per line fragment (each
        with its position in the file, `<<-` indentation removed) and the
        `${…}` interpolations parsed as expressions."""
        source = self.source(token).rstrip("\n").rstrip("\r")
        header_end = source.find("\n")
        marker_start = source.rfind("\n") + 1
        first_line, first_col = token.line or 1, token.column or 1  # the lexer sets both
        span = Span(self.path, first_line, first_col, first_line + source.count("\n"), len(source) - marker_start + 1)
        lines = [line.rstrip("\r") for line in source[header_end + 1:marker_start].split("\n")[:-1]]
        cut = 0
        if trim:
            cut = min((len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()), default=0)
        placed = [(line[min(cut, len(line) - len(line.lstrip(" \t"))):], first_line + 1 + index,
                   min(cut, len(line) - len(line.lstrip(" \t"))) + 1) for index, line in enumerate(lines)]
        return template_tree(placed, span, self.inner_tree, keep_parts=True)

    def inner_tree(self, code: str, line: int, col: int) -> ex.Node:
        """The tree of the expression `code` of an interpolation that starts
        at `line`:`col` of this file (a heredoc's `${…}`)."""
        try:
            parsed = _parse_tree(f"x = {code}\n")
        except (LarkError, _TooComplex, RecursionError):
            end = code.count("\n")
            return ex.Node(ex.OTHER, Span(self.path, line, col, line + end, col + len(code)), name="unparsable")
        walker = _ShiftedWalker(self.path, f"x = {code}\n", line - 1, col - 5)
        attribute = parsed.children[0].children[0]
        while isinstance(attribute, Tree) and attribute.data != "attribute":
            attribute = next(c for c in attribute.children if isinstance(c, Tree))
        return walker.tree(attribute.children[-1])


class _ShiftedWalker(_Walker):
    """Walks a snippet whose first line starts `col_shift` columns and
    whose lines start `line_shift` lines later in the real file."""

    __slots__ = ("col_shift", "line_shift")

    def __init__(self, path: str, text: str, line_shift: int, col_shift: int):
        super().__init__(path, text, trees=True)
        self.line_shift = line_shift
        self.col_shift = col_shift

    def span(self, node: _Node) -> Span:
        plain = super().span(node)
        return Span(plain.path, plain.line + self.line_shift, plain.col + (self.col_shift if plain.line == 1 else 0),
                    plain.end_line + self.line_shift, plain.end_col + (self.col_shift if plain.end_line == 1 else 0))


def template_tree(lines: list[tuple[str, int, int]], span: Span, parse_inner: Callable[[str, int, int], ex.Node],
                  final_newline: bool = True,
                  keep_parts: bool = False) -> ex.Node:
    """A template (a heredoc body, or a string of a JSON file) given as
    (text, line, col) per line: literal `text` parts and `${…}`
    interpolations, `parse_inner(code, line, col)` building each one's tree.
    A `%{…}` directive makes the whole template an `other` node. Heredoc
    lines each end with a newline (`final_newline`); a string's last does not."""
    parts: list[ex.Node] = []
    text = "\n".join(t for t, _, _ in lines) + ("\n" if lines and final_newline else "")
    starts = []  # offset of each line in `text`
    offset = 0
    for line_text, _, _ in lines:
        starts.append(offset)
        offset += len(line_text) + 1

    def place(at: int) -> tuple[int, int]:
        index = max(0, _bisect(starts, at))
        _, line, col = lines[index]
        return line, col + at - starts[index]

    def add_text(start: int, end: int) -> None:
        position = start
        while position < end:
            stop = text.find("\n", position, end)
            stop = end if stop == -1 else stop + 1
            piece = text[position:stop].replace("$${", "${").replace("%%{", "%{")
            line, col = place(position)
            end_col = col + len(text[position:stop].rstrip("\n"))
            parts.append(ex.Node(ex.TEXT, Span(span.path, line, col, line, end_col), piece))
            position = stop

    position = 0
    literal_start = 0
    while True:
        opening = _TEMPLATE_OPENING.search(text, position)
        if opening is None:
            break
        if opening.group() == "%{":
            return ex.Node(ex.OTHER, span, name="directive")
        closing = _interpolation_end(text, opening.end())
        if closing == -1:
            return ex.Node(ex.OTHER, span, name="unclosed interpolation")
        add_text(literal_start, opening.start())
        line, col = place(opening.end())
        parts.append(parse_inner(text[opening.end():closing], line, col))
        position = literal_start = closing + 1
    add_text(literal_start, len(text))
    if not keep_parts and all(p.kind == ex.TEXT for p in parts):
        return ex.Node(ex.LITERAL, span, "".join(p.value for p in parts))
    return ex.Node(ex.TEMPLATE, span, children=tuple(parts))


_TEMPLATE_OPENING = re.compile(r"(?<!\$)\$\{|(?<!%)%\{")


def _bisect(starts: list[int], at: int) -> int:
    low, high = 0, len(starts)
    while low < high:
        middle = (low + high) // 2
        if starts[middle] <= at:
            low = middle + 1
        else:
            high = middle
    return low - 1


def _interpolation_end(text: str, start: int) -> int:
    """The offset of the `}` closing an interpolation whose code starts at
    `start`: braces nest, quoted strings are skipped; -1 when unclosed."""
    depth = 0
    position = start
    length = len(text)
    while position < length:
        char = text[position]
        if char == '"':
            position += 1
            while position < length and text[position] != '"':
                position += 2 if text[position] == "\\" else 1
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return position
            depth -= 1
        position += 1
    return -1


def json_template_tree(value: str, span: Span) -> Optional[ex.Node]:
    """The tree of a string of a Terragrunt JSON file: a template when it
    holds `${…}`, else None (a literal). Every node has the string's span:
    JSON strings keep no positions inside them."""
    if "${" not in value.replace("$${", "") and "%{" not in value.replace("%%{", ""):
        return None

    def inner(code: str, line: int, col: int) -> ex.Node:
        try:
            parsed = _parse_tree(f"x = {code}\n")
        except (LarkError, _TooComplex, RecursionError):
            return ex.Node(ex.OTHER, span, name="unparsable")
        attribute = parsed.children[0].children[0]
        while isinstance(attribute, Tree) and attribute.data != "attribute":
            attribute = next(c for c in attribute.children if isinstance(c, Tree))
        return _FixedSpanWalker(span, f"x = {code}\n").tree(attribute.children[-1])

    return template_tree([(text, span.line, span.col) for text in value.split("\n")], span, inner, final_newline=False)


class _FixedSpanWalker(_Walker):
    """Every node gets one span (a JSON string's)."""

    __slots__ = ("fixed",)

    def __init__(self, fixed: Span, text: str):
        super().__init__(fixed.path, text, trees=True)
        self.fixed = fixed

    def span(self, node: _Node) -> Span:
        return self.fixed


def template_file_tree(text: str, path: str) -> Optional[ex.Node]:
    """A whole file as an HCL template (Terragrunt's `templatefile`), its
    nodes placed in that file; None when it holds a directive (`%{…}`)."""
    lines = text.split("\n")
    walker = _Walker(path, text, trees=True)
    node = template_tree([(line.rstrip("\r"), index + 1, 1) for index, line in enumerate(lines)],
                         Span(path, 1, 1, len(lines), len(lines[-1]) + 1), walker.inner_tree, final_newline=False,
                         keep_parts=True)
    return None if node.kind == ex.OTHER else node

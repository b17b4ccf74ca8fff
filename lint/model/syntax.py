"""The lean, frozen model that parsers produce and rules read.

Nothing here knows about python-hcl2, lark or PyYAML: `parse/hcl.py` and
`parse/yaml.py` translate their trees into these classes, and rules never
see anything else. Every node carries an exact `Span`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A source region: 1-based line and column, end exclusive, in characters
    of the decoded text (after a UTF-8 BOM is removed). `path` is relative to
    the scan root with `/` separators."""

    path: str
    line: int
    col: int
    end_line: int
    end_col: int

    @staticmethod
    def file_start(path: str) -> Span:
        """Line 1, column 1 — for findings about a whole file."""
        return Span(path, 1, 1, 1, 1)


class _NotLiteral:
    """Marks an expression whose value is only known at plan time."""

    _instance: Optional[_NotLiteral] = None

    def __new__(cls) -> _NotLiteral:  # a singleton so that `is NOT_LITERAL` works after pickling
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __reduce__(self) -> tuple[type[_NotLiteral], tuple[()]]:
        return (_NotLiteral, ())

    def __repr__(self) -> str:
        return "NOT_LITERAL"

    def __bool__(self) -> bool:
        return False


NOT_LITERAL: Any = _NotLiteral()


@dataclass(frozen=True, slots=True)
class StringPart:
    """One literal fragment of a string, heredoc or template, with its span.
    Secret detection reads these, so interpolated parts are excluded."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Expr:
    """An HCL expression.

    kind: one of "string", "template" (string with interpolation or
    directives), "heredoc", "number", "bool", "null", "tuple", "object",
    "reference", "call", "other" (operators, conditionals, for expressions,
    splats, indexes).
    value: the Python value when the whole expression is a literal
    (str/int/float/bool/None, or list/dict of those), else NOT_LITERAL.
    references: traversals it reads, as dotted text: "var.region",
    "local.tags", "data.aws_iam_policy_document.x.json", "aws_s3_bucket.b.id",
    "module.vpc.vpc_id", "each.key", "count.index".
    functions: names of functions it calls ("file", "provider::aws::arn_parse").
    strings: every literal string fragment inside it (nested ones included).
    items: element expressions of a tuple.
    entries: (key, key span, value) of an object; key is the literal key
    text (identifier or string), or the key's source text when computed.
    tree: for Terragrunt configuration only, the expression's structure
    (model/expressions.py), which Terragrunt's static evaluation reads.
    """

    kind: str
    text: str
    span: Span
    value: Any = NOT_LITERAL
    references: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    strings: tuple[StringPart, ...] = ()
    items: tuple[Expr, ...] = ()
    entries: tuple[tuple[str, Span, Expr], ...] = ()
    tree: Any = None  # how the expression is built (model/expressions.py Node); Terragrunt files only

    @property
    def is_literal(self) -> bool:
        return self.value is not NOT_LITERAL

    @staticmethod
    def collection(kind: str, text: str, span: Span, items: tuple[Expr, ...] = (),
                   entries: tuple[tuple[str, Span, Expr], ...] = ()) -> Expr:
        """A "tuple" (`items`) or "object" (`entries`): its value, references,
        functions and strings come from its elements (HCL and JSON alike)."""
        children = (*items, *(value for _, _, value in entries))
        if not all(c.is_literal for c in children):
            value: Any = NOT_LITERAL
        elif kind == "tuple":
            value = [c.value for c in items]
        else:
            value = {k: v.value for k, _, v in entries}
        return Expr(kind, text, span, value, tuple(dict.fromkeys(r for c in children for r in c.references)),
                    tuple(dict.fromkeys(f for c in children for f in c.functions)),
                    tuple(s for c in children for s in c.strings), items, entries)

    def entry(self, key: str) -> Optional[Expr]:
        for name, _, value in self.entries:
            if name == key:
                return value
        return None


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    name_span: Span
    expr: Expr
    span: Span  # name through end of value

    @property
    def value(self) -> Any:
        return self.expr.value


@dataclass(frozen=True, slots=True)
class Block:
    """`type "label" "label" { body }`. header_span covers type and labels."""

    type: str
    labels: tuple[str, ...]
    header_span: Span
    span: Span
    attributes: tuple[Attribute, ...] = ()
    blocks: tuple[Block, ...] = ()
    label_spans: tuple[Span, ...] = ()

    def attr(self, name: str) -> Optional[Attribute]:
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        return None

    def children(self, type_: str) -> Iterator[Block]:
        return (b for b in self.blocks if b.type == type_)

    def child(self, type_: str) -> Optional[Block]:
        return next(self.children(type_), None)

    def walk(self) -> Iterator[Block]:
        """This block and every block nested in it, depth first."""
        yield self
        for nested in self.blocks:
            yield from nested.walk()

    @property
    def address(self) -> str:
        return ".".join((self.type, *self.labels))


@dataclass(frozen=True, slots=True)
class Comment:
    text: str  # without the comment marker's newline; marker kept ("# x", "// x", "/* x */")
    span: Span


@dataclass(frozen=True, slots=True)
class ParseError:
    message: str
    span: Span
    related: tuple[tuple[Span, str], ...] = ()  # (span, message): e.g. where a redefined argument was first set


# File kinds, as discovery classifies them.
TF = "tf"                # .tf, .tofu (HCL native syntax module files)
TF_JSON = "tf.json"      # .tf.json, .tofu.json
TFVARS = "tfvars"        # .tfvars (native syntax)
TFVARS_JSON = "tfvars.json"
TFBACKEND = "tfbackend"  # .tfbackend (native syntax, attributes only)
YAML = "yaml"            # a YAML file that may be a Harness pipeline
OTHER = "other"          # anything else that rules care about (state files, pin files, lock files)
TERRAGRUNT = "terragrunt"            # terragrunt.hcl, terragrunt.stack.hcl and other *.hcl (Terragrunt candidates)
TERRAGRUNT_JSON = "terragrunt.json"  # terragrunt.hcl.json

TERRAGRUNT_KINDS = (TERRAGRUNT, TERRAGRUNT_JSON)

MODULE_KINDS = (TF, TF_JSON)


@dataclass(frozen=True, slots=True)
class HclFile:
    """A parsed .tf/.tofu/.tf.json/.tfvars/.tfbackend file. For tfvars and
    tfbackend files the content is in `attributes`; module files also may
    hold top-level attributes only when they are malformed."""

    path: str
    kind: str
    blocks: tuple[Block, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    comments: tuple[Comment, ...] = ()
    error: Optional[ParseError] = None
    # (span of the heredoc, its YAML) for the `yaml = <<EOT` of each `harness_platform_pipeline`
    # resource: parsed with the file, in the parse stage (parse/heredoc.py), and cached with it
    heredoc_yaml: tuple[tuple[Span, YamlFile], ...] = ()
    # what could not be parsed, as raw text with its place (parse/salvage.py):
    # the regions left out of a partly read file, or the whole text of a file
    # none of whose blocks parsed; IACM203 looks for credentials in it
    unread: tuple[StringPart, ...] = ()

    @property
    def fully_read(self) -> bool:
        """Whether the model holds the whole file. False when parts of it
        (`unread`) or all of it could not be read or parsed; a file Terraform
        rejects for a reason that loses nothing (a redefined argument) is
        fully read."""
        if self.unread:
            return False
        return self.error is None or bool(self.blocks or self.attributes)

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def directory(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else "."

    @property
    def is_tofu(self) -> bool:
        return self.name.endswith((".tofu", ".tofu.json"))

    @property
    def stem(self) -> str:
        """`versions` for versions.tf / versions.tofu / versions.tf.json."""
        name = self.name
        for suffix in (".tofu.json", ".tf.json", ".tofu", ".tf"):
            if name.endswith(suffix):
                return name[: -len(suffix)]
        return name

    @property
    def is_override(self) -> bool:
        stem = self.stem
        return stem == "override" or stem.endswith("_override")

    def walk(self) -> Iterator[Block]:
        for block in self.blocks:
            yield from block.walk()

    def top(self, type_: str) -> Iterator[Block]:
        return (b for b in self.blocks if b.type == type_)


# ---- YAML -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class YNode:
    """A YAML node with its span. kind: "map", "seq" or "scalar".
    For maps, `entries` holds (key node, value node) pairs in file order;
    for sequences, `items`; scalars have `value` (str, int, float, bool,
    None as the safe loader resolves them) and `tag`."""

    kind: str
    span: Span
    value: Any = None
    tag: str = ""
    items: tuple[YNode, ...] = ()
    entries: tuple[tuple[YNode, YNode], ...] = ()

    def get(self, key: str) -> Optional[YNode]:
        if self.kind == "map":
            for k, v in self.entries:
                if k.value == key:
                    return v
        return None

    def key_node(self, key: str) -> Optional[YNode]:
        if self.kind == "map":
            for k, _ in self.entries:
                if k.value == key:
                    return k
        return None

    def key_of(self, key: str) -> YNode:
        """The key node of an entry the caller knows is there (`get(key)`
        found its value); KeyError when it is not."""
        node = self.key_node(key)
        if node is None:
            raise KeyError(key)
        return node


@dataclass(frozen=True, slots=True)
class YamlFile:
    path: str
    root: Optional[YNode]  # first document; None when empty or unparsable
    comments: tuple[Comment, ...] = ()
    error: Optional[ParseError] = None


# ---- Repository -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Module:
    """All module files of one directory, as Terraform reads them."""

    directory: str  # relative to the scan root, "." for the root itself
    files: tuple[HclFile, ...]  # module files (.tf/.tofu/.tf.json/.tofu.json), path order
    tfvars: tuple[HclFile, ...] = ()
    tfbackends: tuple[HclFile, ...] = ()
    # A Terragrunt unit's working module only: the files Terragrunt generates into it
    # (model/terragrunt.py GeneratedFile; their HclFiles are in `files` too)
    generated: tuple[Any, ...] = ()

    def blocks(self, type_: str) -> Iterator[Block]:
        for f in self.files:
            yield from f.top(type_)

    def terraform_blocks(self) -> Iterator[Block]:
        return self.blocks("terraform")

    @property
    def declares_anything(self) -> bool:
        return any(f.blocks or f.attributes for f in self.files)

    @property
    def fully_read(self) -> bool:
        """Whether every module file is wholly in the model: otherwise a
        block that seems missing may sit in what could not be read."""
        return all(f.fully_read for f in self.files)

    def local_sources(self) -> Iterator[tuple[Block, str]]:
        """(module block, normalised directory) for every local `source`."""
        for block in self.blocks("module"):
            source = block.attr("source")
            if source is None or not isinstance(source.value, str):
                continue
            if source.value.startswith(("./", "../")) or source.value in (".", ".."):
                yield block, normalise_dir(self.directory, source.value)


def called_modules(modules: dict[str, Module], starts: Iterable[Module]) -> tuple[Module, ...]:
    """The local modules that `starts` call, transitively, each once, in
    call order (the starting modules themselves excluded)."""
    pending = list(starts)
    seen = {module.directory for module in pending}
    order: list[Module] = []
    while pending:
        module = pending.pop(0)
        for _, target in module.local_sources():
            if target not in seen and target in modules:
                seen.add(target)
                order.append(modules[target])
                pending.append(modules[target])
    return tuple(order)


def normalise_dir(base: str, relative: str) -> str:
    """Join `relative` to `base` (both scan-root relative, "/" separated)
    and collapse `.`/`..`. Returns ".." prefixed paths when it leaves the root."""
    parts = [] if base == "." else base.split("/")
    for piece in relative.split("/"):
        if piece in ("", "."):
            continue
        if piece == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            else:
                parts.append("..")
        else:
            parts.append(piece)
    return "/".join(parts) or "."


@dataclass(frozen=True)
class RootModule:
    """A module a workspace would run, with the local modules it calls
    (transitively, each once, in call order). A Terragrunt unit is a root
    too (shared/spec/terragrunt.md TG-1.2): its `module` is the working
    module after generation, and `terragrunt` its unit model
    (model/terragrunt.py UnitModel)."""

    module: Module
    called: tuple[Module, ...] = ()
    terragrunt: Any = None

    @property
    def directory(self) -> str:
        return self.module.directory

    @property
    def files(self) -> tuple[HclFile, ...]:
        return self.module.files


@dataclass(frozen=True)
class SourceFile:
    """Any file discovery found, with what the hygiene rules need to know."""

    path: str  # relative, "/" separated
    kind: str
    tracked: Optional[bool] = None  # None outside git
    ignored: bool = False


@dataclass(frozen=True)
class OnDisk:
    """What the hygiene rules (IACM401-IACM405) know of the disk beyond the
    walk and git's view: read by the scan stage (scan/hygiene.py), so that
    rules read only the model. Paths are scan-root relative."""

    # outside git: `.terraform` dirs beside the files, with their first file
    terraform_dirs: tuple[tuple[str, Optional[str]], ...] = ()
    terragrunt_cache_dirs: tuple[tuple[str, Optional[str]], ...] = ()  # the same for `.terragrunt-cache` (IACM406)
    lock_files: frozenset[str] = frozenset()  # the `.terraform.lock.hcl` of each root that is a file on disk
    saved_plans: frozenset[str] = frozenset()  # judged files that are zip archives with a `tfplan` member
    encrypted_states: frozenset[str] = frozenset()  # judged state files that OpenTofu encrypted (`encrypted_data`)
    # root directory -> (the work tree, or the scan root outside git, where its .gitignore files start;
    # the root relative to it)
    ignore_bases: dict[str, tuple[str, str]] = field(default_factory=dict)
    # base -> base-relative directory -> its .gitignore text
    gitignores: dict[str, dict[str, Optional[str]]] = field(default_factory=dict)
    top_gitignore: bool = False  # the scan root has a `.gitignore` file


@dataclass
class Repo:
    """Everything one scan sees. Built once by `discover` + parsers; rules
    read it through their scope (file, module, root, repo, pipeline)."""

    root: str  # absolute scan root
    files: list[SourceFile] = field(default_factory=list)
    hcl_files: list[HclFile] = field(default_factory=list)
    yaml_files: list[YamlFile] = field(default_factory=list)
    modules: dict[str, Module] = field(default_factory=dict)
    roots: list[RootModule] = field(default_factory=list)
    in_git: bool = False
    git_toplevel: Optional[str] = None  # the work tree holding the scan root (None outside git)
    git_remotes: tuple[str, ...] = ()  # URLs of its remotes on a git host, from its config (IACM601-604)
    git_remote: str = ""  # the remote a report names (origin), credentials stripped (scan/gitinfo.display_remote)
    git_commit: str = ""  # HEAD's commit, read only when Options.revision asks (the readiness report's header)
    git_branch: str = ""  # HEAD's branch ("" when detached), read with git_commit
    tracked: Optional[frozenset[str]] = None  # every tracked path (relative), incl. .terraform/
    ignored_paths: frozenset[str] = frozenset()  # discovered files that git ignores (not part of any module)
    notes: list[str] = field(default_factory=list)  # for --verbose
    # (path, heredoc span) -> YamlFile: the pipelines in harness_platform_pipeline heredocs
    heredoc_yaml: dict = field(default_factory=dict)
    terragrunt: Any = None  # the Terragrunt units and configuration of the scan (model/terragrunt.py), None without any
    stats: dict = field(default_factory=dict)  # file accounting (scan/stats.py), filled by scan/repository.py
    # version pin file (model/pins.py) -> its text, read by the scan stage
    pin_files: dict[str, str] = field(default_factory=dict)
    on_disk: OnDisk = field(default_factory=OnDisk)  # for the hygiene rules, read by the scan stage
    parse_stats: Any = None  # what the parse stage did (scan/pool.py ParseStats: tests, benchmarks)
    # Text of files as this scan read them for fixes (engine/context.py), and as fix passes changed
    # them in memory (engine/fixes.py): rel path -> text without a BOM. Readers of source lines
    # (fingerprints, suppressions) look here before the disk.
    sources: dict[str, str] = field(default_factory=dict)

"""Hostile repositories built in temporary directories: every case asserts
the exact diagnostic, that the scan finishes, and that the other files are
still checked and every file is accounted for (Result.stats).

The suite runs as root in CI containers, where permission bits do not stop
reads: unreadable files and directories are simulated by making `os.open`
(textio.read_regular) and `os.scandir` (discover.walk) raise PermissionError
for the chosen paths."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from iacm_lint.engine import run
from iacm_lint.options import Options
from iacm_lint.parse import textio
from iacm_lint.scan import discover

GOOD = 'resource "null_resource" "ok" {\n  triggers = { a = "b" }\n}\n'
# the root has neither, so the IACM000 of a module file not read says where they were not looked for (issue 28)
NOT_CHECKED = "; a backend block or required_version in it was not checked"


def iacm000(result) -> list[str]:
    return [f"{f.span.path}:{f.span.line}:{f.span.col}: {f.message}" for f in result.findings if f.rule_id == "IACM000"]


def scan(path, **options) -> object:
    options.setdefault("cache", False)
    result = run([str(path)], Options(**options))
    assert result.internal_errors == []
    stats = result.stats
    assert stats["discovered"] == (stats["checked"] + stats["unparsable"] + stats["unreadable"]
                                   + sum(stats["skipped"].values()))
    return result


def repo(tmp_path: Path, files: dict) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8", newline="")
    return root


def cli(*args, cwd=None, timeout=120) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "iacm_lint", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=timeout)


# ---- links ----------------------------------------------------------------------


def test_symlink_loops_are_skipped_and_noted(tmp_path):
    root = repo(tmp_path, {"main.tf": GOOD, "sub/a.tf": GOOD})
    os.symlink(".", root / "self")
    os.symlink("..", root / "sub" / "up")
    result = scan(root)
    assert iacm000(result) == []
    assert result.stats["checked"] == 2
    assert result.stats["skipped"] == {"symbolic link loop": 2}
    assert "skipped symbolic link loop at self" in result.repo.notes
    assert "skipped symbolic link loop at sub/up" in result.repo.notes


def test_overlapping_scan_paths_are_walked_once_without_a_loop_note(tmp_path):
    root = repo(tmp_path, {"a/main.tf": GOOD, "a/b/main.tf": GOOD})
    for paths in ([root / "a", root / "a" / "b"], [root / "a" / "b", root / "a"], [root / "a", root / "a"]):
        result = run([str(p) for p in paths], Options(cache=False))
        assert sorted(f.path for f in result.repo.hcl_files) == ["b/main.tf", "main.tf"]
        assert result.stats["discovered"] == 2
        assert result.stats["skipped"] == {}
        assert not [note for note in result.repo.notes if "loop" in note]


def test_symlinks_outside_the_scan_root_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.tf").write_text("this is { not hcl\n")
    (outside / "dir").mkdir()
    (outside / "dir" / "x.tf").write_text("also { broken\n")
    root = repo(tmp_path, {"main.tf": GOOD})
    os.symlink(outside / "secret.tf", root / "linked.tf")
    os.symlink(outside / "dir", root / "linked_dir")
    result = scan(root)
    assert iacm000(result) == []  # the broken files outside were never read
    assert [f.path for f in result.repo.hcl_files] == ["main.tf"]
    assert result.stats["skipped"] == {"symbolic link outside the scan root": 2}
    quiet = cli("check", str(root), "--no-cache", "--fail-on", "never")
    assert quiet.returncode == 0 and "outside the scan root" not in quiet.stderr
    verbose = cli("check", str(root), "--no-cache", "--fail-on", "never", "--verbose")
    assert "iacm-lint: skipped symbolic link linked.tf: it points outside the scan root" in verbose.stderr
    assert "iacm-lint: skipped symbolic link linked_dir: it points outside the scan root" in verbose.stderr


def test_dangling_module_file_link_is_iacm000(tmp_path):
    root = repo(tmp_path, {"main.tf": GOOD})
    os.symlink(root / "gone.tf", root / "dangling.tf")
    os.symlink(root / "gone.md", root / "dangling.md")
    result = scan(root)
    assert iacm000(result) == ["dangling.tf:1:1: cannot parse dangling.tf: broken symbolic link"]
    assert result.stats["skipped"] == {"broken symbolic link": 1}
    assert result.stats["unreadable"] == 1


# ---- unreadable files and directories (simulated: the tests run as root) --------


def _deny(monkeypatch, denied: set[str]) -> None:
    """os.open (textio), the builtin open (the parse pool's reader) and
    os.scandir (discovery) refuse the named files and directories."""
    real_open, real_scandir, real_builtin_open = os.open, os.scandir, open

    def fake_open(path, flags, *args, **kwargs):
        if os.path.basename(str(path)) in denied:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    def fake_scandir(path="."):
        if os.path.basename(str(path).rstrip("/")) in denied:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    def fake_builtin_open(path, *args, **kwargs):
        if not isinstance(path, int) and os.path.basename(str(path)) in denied:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_builtin_open(path, *args, **kwargs)

    monkeypatch.setattr(textio.os, "open", fake_open)
    monkeypatch.setattr(discover.os, "scandir", fake_scandir)
    monkeypatch.setattr("builtins.open", fake_builtin_open)


def test_unreadable_file_and_directory(tmp_path, monkeypatch):
    root = repo(tmp_path, {"main.tf": GOOD, "locked.tf": GOOD, "private/inner.tf": GOOD})
    _deny(monkeypatch, {"locked.tf", "private"})
    result = scan(root)
    assert iacm000(result) == [
        "locked.tf:1:1: cannot parse locked.tf: cannot read file: permission denied"
        "; a backend block or required_version in it was not checked",
        "private:1:1: cannot parse private: cannot read directory: permission denied",
    ]
    assert result.stats == {"discovered": 3, "checked": 1, "unparsable": 0, "unreadable": 2, "skipped": {},
                            "excluded": 0}


def test_unreadable_file_with_the_cache_and_pool_path(tmp_path, monkeypatch):
    root = repo(tmp_path, {"main.tf": GOOD, "locked.tf": GOOD})
    monkeypatch.setenv("IACM_LINT_CACHE_DIR", str(tmp_path / "cache"))
    _deny(monkeypatch, {"locked.tf"})
    result = scan(root, cache=True)
    assert iacm000(result) == ["locked.tf:1:1: cannot parse locked.tf: cannot read file: permission denied"
                               f"{NOT_CHECKED}"]


# ---- FIFOs and devices ------------------------------------------------------------


def test_fifo_and_device_named_tf_do_not_hang(tmp_path):
    root = repo(tmp_path, {"main.tf": GOOD})
    os.mkfifo(root / "pipe.tf")
    os.mkfifo(root / "README.md")
    os.mkfifo(root / ".gitignore")  # read by the .gitignore matcher outside git
    os.mknod(root / "zero.tf", stat.S_IFCHR | 0o644, os.makedev(1, 5))  # /dev/zero: endless
    started = time.monotonic()
    result = scan(root)
    assert time.monotonic() - started < 30
    assert iacm000(result) == [
        "pipe.tf:1:1: cannot parse pipe.tf: not a regular file (device, FIFO or socket)",
        "zero.tf:1:1: cannot parse zero.tf: not a regular file (device, FIFO or socket)",
    ]
    assert result.stats["skipped"] == {"not a regular file": 2}
    assert result.stats["checked"] == 1 and result.stats["unreadable"] == 2


def test_read_regular_refuses_fifos_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "p")
    with pytest.raises(textio.NotRegularFileError):
        textio.read_regular(str(tmp_path / "p"))
    text, error = textio.read_source(str(tmp_path / "p"), "p.tf")
    assert text is None and error.message == "not a regular file (device, FIFO or socket)"


# ---- size ------------------------------------------------------------------------------


def test_fifty_megabyte_file_is_not_parsed_and_memory_stays_bounded(tmp_path):
    root = repo(tmp_path, {"main.tf": GOOD})
    line = b'# padding padding padding padding padding padding padding padding\n'
    with open(root / "huge.tf", "wb") as handle:
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            handle.write(line)
    assert (root / "huge.tf").stat().st_size > 50 * 1024 * 1024
    tracemalloc.start()
    try:
        result = scan(root)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert iacm000(result) == [f"huge.tf:1:1: cannot parse huge.tf: file too large (over 10 MB); not parsed"
                               f"{NOT_CHECKED}"]
    assert result.stats["unparsable"] == 1 and result.stats["checked"] == 1
    assert peak < 24 * 1024 * 1024, peak  # at most the 10 MB read window (+1 byte), never the 50 MB file


def test_max_file_size_is_configurable(tmp_path):
    root = repo(tmp_path, {"main.tf": GOOD, "big.tf": GOOD + "# " + "x" * 2000 + "\n"})
    result = scan(root, max_file_bytes=1024)
    assert iacm000(result) == [f"big.tf:1:1: cannot parse big.tf: file too large (over 1 KB); not parsed{NOT_CHECKED}"]
    out = cli("check", str(root), "--no-cache", "--select", "IACM000", "--max-file-size", "1KB", "--format", "gcc")
    assert out.stdout == (f"big.tf:1:1: error: cannot parse big.tf: file too large (over 1 KB); not parsed"
                          f"{NOT_CHECKED} [IACM000]\n")
    assert out.returncode == 1
    bad = cli("check", str(root), "--max-file-size", "lots")
    assert bad.returncode == 2
    assert "Invalid value for --max-file-size: 'lots' is not a size" in bad.stderr


# ---- deep nesting -----------------------------------------------------------------


DEEP = 10_000


def _deep_flow_yaml_finding() -> str:
    """libyaml 0.2.6 (PyYAML 6.0.4's wheels) stops at 1,000 flow levels while
    parsing; older libyaml parses on and our converter stops at 400 levels."""
    import yaml

    version = yaml._yaml.get_version() if getattr(yaml, "__with_libyaml__", False) else (0, 0, 0)
    if version >= (0, 2, 6):
        return (".harness/deep.yaml:2:1004: cannot parse deep.yaml: invalid YAML: while increasing flow level, "
                "exceeded maximum nesting depth")
    return ".harness/deep.yaml:2:405: cannot parse deep.yaml: YAML not loaded: nesting deeper than 400 levels"


@pytest.mark.parametrize("name, text, expected", [
    ("blocks.tf", "a {\n" * DEEP + "}\n" * DEEP,
     f"blocks.tf:101:3: cannot parse blocks.tf: nested more than 100 levels deep; not analysed{NOT_CHECKED}"),
    ("tuples.tf", "locals {\n  x = " + "[" * DEEP + "]" * DEEP + "\n}\n",
     f"tuples.tf:2:106: cannot parse tuples.tf: nested more than 100 levels deep; not analysed{NOT_CHECKED}"),
    ("objects.tf", "locals {\n  x = " + "{a = " * DEEP + "1" + "}" * DEEP + "\n}\n",
     f"objects.tf:2:502: cannot parse objects.tf: nested more than 100 levels deep; not analysed{NOT_CHECKED}"),
    ("parens.tf", "locals {\n  x = " + "(" * DEEP + "1" + ")" * DEEP + "\n}\n",
     f"parens.tf:2:106: cannot parse parens.tf: nested more than 100 levels deep; not analysed{NOT_CHECKED}"),
    ("interpolations.tf", "locals {\n  x = " + '"${' * DEEP + "1" + '}"' * DEEP + "\n}\n",
     "interpolations.tf:2:305: cannot parse interpolations.tf: nested more than 100 levels deep; not analysed"
     f"{NOT_CHECKED}"),
    ("lists.tf.json", '{"locals": {"x": ' + "[" * DEEP + "]" * DEEP + "}}",
     f"lists.tf.json:1:117: cannot parse lists.tf.json: nested more than 100 levels deep; not analysed{NOT_CHECKED}"),
    (".harness/deep.yaml", "pipeline:\n  x: " + "[" * DEEP + "]" * DEEP + "\n", _deep_flow_yaml_finding()),
    (".harness/deep-block.yaml", "pipeline:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(450)) + " x: 1\n",
     ".harness/deep-block.yaml:401:401: cannot parse deep-block.yaml: YAML not loaded: nesting deeper than 400 levels"),
    (".harness/block.yaml", "pipeline:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(150)) + " x: 1\n",
     ".harness/block.yaml:100:100: cannot parse block.yaml: nested more than 100 levels deep; not analysed"),
])
def test_ten_thousand_levels(tmp_path, name, text, expected):
    root = repo(tmp_path, {"main.tf": GOOD, name: text})
    result = scan(root)
    assert iacm000(result) == [expected]
    assert result.stats["checked"] == 1


@pytest.mark.parametrize("depth", [101, 150, 300, 480, 990])
def test_moderate_nesting_with_the_cache_on(tmp_path, monkeypatch, depth):
    """Deep enough for the parser, too deep for pickling into the cache or
    the pool: the nesting limit turns it into IACM000 before either."""
    monkeypatch.setenv("IACM_LINT_CACHE_DIR", str(tmp_path / "cache"))
    root = repo(tmp_path, {
        "main.tf": GOOD,
        "t.tf": "locals {\n  x = " + "[" * depth + "]" * depth + "\n}\n",
        "o.tf.json": '{"locals": {"x": ' + '{"a": ' * depth + "1" + "}" * depth + "}}",
        ".harness/p.yaml": "pipeline:\n  x: " + "[" * depth + "]" * depth + "\n",
    })
    result = scan(root, cache=True)
    messages = sorted(m.split(": ", 1)[1] for m in iacm000(result))
    assert messages == [f"cannot parse {n}: nested more than 100 levels deep; not analysed"
                        f"{NOT_CHECKED * (not n.endswith('.yaml'))}"
                        for n in ("o.tf.json", "p.yaml", "t.tf")] or (depth >= 400 and len(messages) == 3)
    assert result.stats["checked"] == 1


def test_hundred_levels_are_fine(tmp_path):
    root = repo(tmp_path, {"main.tf": "locals {\n  x = " + "[" * 99 + "]" * 99 + "\n}\n"})
    result = scan(root, cache=False)
    assert iacm000(result) == [] and result.stats["checked"] == 1


def test_deep_nesting_through_the_command_line(tmp_path):
    root = repo(tmp_path, {"main.tf": GOOD, "deep.tf": "locals {\n  x = " + "[" * 350 + "]" * 350 + "\n}\n"})
    out = cli("check", str(root), "--select", "IACM000", "--format", "gcc",
              cwd=tmp_path, timeout=120)
    assert out.stdout == ("deep.tf:2:106: error: cannot parse deep.tf: nested more than 100 levels deep; "
                          f"not analysed{NOT_CHECKED} [IACM000]\n")
    assert out.returncode == 1 and "internal error" not in out.stderr


# ---- long lines, encodings, line endings ---------------------------------------------


def test_very_long_lines(tmp_path):
    long_value = "a" * 3_000_000
    root = repo(tmp_path, {
        "long.tf": 'locals {\n  x = "' + long_value + '"\n}\n',
        "long_broken.tf": "locals {\n  x = " + "1 + " * 200_000 + "\n}\n",
    })
    started = time.monotonic()
    result = scan(root)
    assert time.monotonic() - started < 60
    assert iacm000(result) == [f"long_broken.tf:3:1: cannot parse long_broken.tf: unexpected '}}'{NOT_CHECKED}"]
    assert result.stats["checked"] == 1


def test_nul_bytes_invalid_utf8_and_utf16(tmp_path):
    root = repo(tmp_path, {
        "main.tf": GOOD,
        "nul.tf": b'locals {\n  x = "a\x00b"\n}\n',
        "latin1.tf": b'locals {\n  name = "caf\xe9"\n}\n',
        "utf16.tf": "locals {\n  x = 1\n}\n".encode("utf-16"),  # with its BOM
        "utf16be.tf": b"\xfe\xff" + "locals {}\n".encode("utf-16-be"),
        "bom.tf": b"\xef\xbb\xbf" + b"locals {\n  x = }\n",
    })
    result = scan(root)
    assert iacm000(result) == [
        # the UTF-8 BOM alone is fine; columns count after it
        f"bom.tf:2:7: cannot parse bom.tf: unexpected '}}'{NOT_CHECKED}",
        f"latin1.tf:2:14: cannot parse latin1.tf: invalid UTF-8 byte 0xe9{NOT_CHECKED}",
        f"nul.tf:2:9: cannot parse nul.tf: file contains NUL bytes (binary content), not text{NOT_CHECKED}",
        *(f"{name}:1:1: cannot parse {name}: file is UTF-16 encoded; Terraform and Harness read only UTF-8{NOT_CHECKED}"
          for name in ("utf16.tf", "utf16be.tf")),
    ]
    assert result.stats["checked"] == 1 and result.stats["unparsable"] == 5


def test_crlf_and_mixed_line_endings(tmp_path):
    root = repo(tmp_path, {
        "crlf.tf": b'terraform {\r\n  required_version = ">= 1.6.0"\r\n}\r\n',
        "mixed.tf": b'locals {\r\n  a = 1\n  b = 2\r\n}\n',
        "broken_crlf.tf": b'locals {\r\n  a = 1\r\n  b = = 2\r\n}\r\n',
    })
    result = scan(root)
    # python-hcl2's lexer reads "= 2" as string text here; the position is exact
    assert iacm000(result) == ["broken_crlf.tf:3:7: cannot parse broken_crlf.tf: unexpected text; "
                               "a backend block in it was not checked"]
    crlf = next(f for f in result.repo.hcl_files if f.path == "crlf.tf")
    attribute = crlf.blocks[0].attr("required_version")
    assert (attribute.expr.value, attribute.expr.span.line, attribute.expr.span.col) == (">= 1.6.0", 2, 22)
    assert result.stats["checked"] == 2


# ---- YAML -----------------------------------------------------------------------------

BILLION_LAUGHS = """pipeline:
  name: lol
  identifier: lol
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_yaml_alias_bomb(tmp_path):
    root = repo(tmp_path, {".harness/bomb.yaml": BILLION_LAUGHS, "main.tf": GOOD})
    started = time.monotonic()
    result = scan(root)
    assert time.monotonic() - started < 30
    assert iacm000(result) == [".harness/bomb.yaml:8:6: cannot parse bomb.yaml: YAML not loaded: "
                               "aliases expand to more than 100000 nodes (a YAML bomb?)"]


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system",
    "!!python/object/new:os.system",
    "!!python/name:os.system",
    "!!python/module:os",
])
def test_python_tags_are_never_executed(tmp_path, tag):
    marker = tmp_path / "PWNED"
    body = f'{tag} ["touch {marker}"]' if "name" not in tag and "module" not in tag else tag
    root = repo(tmp_path, {".harness/evil.yaml": f"pipeline:\n  name: evil\n  identifier: evil\n  x: {body}\n"})
    result = scan(root)
    assert not marker.exists()
    assert iacm000(result) == []
    (pipeline,) = result.repo.yaml_files
    node = pipeline.root.get("pipeline").get("x")
    assert node.tag.startswith("tag:yaml.org,2002:python/")  # kept as a tag, never constructed


# ---- names ------------------------------------------------------------------------------


def test_file_names_with_spaces_unicode_and_newlines(tmp_path):
    root = repo(tmp_path, {
        "with space.tf": "locals {\n",
        "ünïcødé/日本.tf": "locals {\n",
        "new\nline.tf": "locals {\n",
    })
    result = scan(root)
    assert iacm000(result) == [
        'new\nline.tf:1:8: cannot parse new\nline.tf: "{" is never closed',
        'with space.tf:1:8: cannot parse with space.tf: "{" is never closed',
        'ünïcødé/日本.tf:1:8: cannot parse 日本.tf: "{" is never closed',
    ]
    out = cli("check", str(root), "--no-cache", "--select", "IACM000", "--format", "gcc")
    assert out.stdout.splitlines() == [
        'new\\nline.tf:1:8: error: cannot parse new line.tf: "{" is never closed [IACM000]',
        'with space.tf:1:8: error: cannot parse with space.tf: "{" is never closed [IACM000]',
        'ünïcødé/日本.tf:1:8: error: cannot parse 日本.tf: "{" is never closed [IACM000]',
    ]
    document = json.loads(cli("check", str(root), "--no-cache", "--select", "IACM000", "--format", "json").stdout)
    assert [f["path"] for f in document["findings"]] == ["new\nline.tf", "with space.tf", "ünïcødé/日本.tf"]


def test_missing_path_exits_2_with_a_message(tmp_path):
    out = cli("check", str(tmp_path / "nope"))
    assert out.returncode == 2
    assert out.stderr == f"iacm-lint: path does not exist: {tmp_path / 'nope'}\n"
    assert out.stdout == ""


def test_everything_at_once_still_checks_the_good_files(tmp_path):
    root = repo(tmp_path, {
        "good/main.tf": GOOD,
        "bad/nul.tf": b"\x00\x01",
        "bad/deep.tf": "a {\n" * 500 + "}\n" * 500,
        ".harness/bomb.yaml": BILLION_LAUGHS,
    })
    os.mkfifo(root / "bad" / "pipe.tf")
    os.symlink(".", root / "bad" / "loop")
    result = scan(root)
    assert [f.path for f in result.repo.hcl_files if f.error is None] == ["good/main.tf"]
    assert len(iacm000(result)) == 4
    assert result.stats == {"discovered": 6, "checked": 1, "unparsable": 3, "unreadable": 1,
                            "skipped": {"symbolic link loop": 1}, "excluded": 0}

"""The grammar's parse tables shipped in the package (lint/parse/tables.py):
they are what the installed grammar builds, they load without building or
unpickling anything, and another python-hcl2 or lark builds them once into
the per-user cache, sealed with the per-user key."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from iacm_lint import cachedir
from iacm_lint.parse import tables as parsetables
from iacm_lint.parse.hcl import parse_hcl

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-${var.env}"\n  tags   = { team = "platform" }\n}\n'


def describe(parser) -> dict:
    """A lark parser's tables and terminals, comparable across separately
    built or loaded parsers: lark numbers states differently in every build,
    so states are named by the first path of tokens that reaches them."""
    table = parser.parser.parser._parse_table
    paths = {state: (start,) for start, state in table.start_states.items()}
    queue = list(paths)
    for state in queue:
        for token in sorted(table.states[state]):
            action, target = table.states[state][token]
            if action.name == "Shift" and target not in paths:
                paths[target] = paths[state] + (token,)
                queue.append(target)
    assert len(paths) == len(table.states)

    def described(action, argument):
        if action.name == "Shift":
            return "shift", paths[argument]
        return "reduce", str(argument), argument.order, argument.alias, repr(argument.options)

    states = {paths[state]: sorted((token, described(*entry)) for token, entry in actions.items())
              for state, actions in table.states.items()}
    terminals = sorted((t.name, repr(t.pattern), t.priority) for t in parser.terminals)
    ends = {start: paths[state] for start, state in table.end_states.items()}
    options = sorted((k, repr(v)) for k, v in parser.options.options.items() if k not in ("postlex", "_plugins"))
    return {"states": states, "end": ends, "terminals": terminals, "ignore": sorted(parser.lexer_conf.ignore),
            "options": options}


@pytest.fixture(scope="module")
def built() -> dict:
    return parsetables.build()


def test_shipped_tables_are_what_the_installed_grammar_builds(built):
    shipped = json.loads(Path(parsetables.PACKAGED).read_bytes())
    hint = f"lint/parse/hcl2-tables.json is stale for the installed grammar; regenerate it: {parsetables.REGENERATE}"
    assert shipped["built_from"] == parsetables.identity(), hint
    assert shipped == built, hint
    assert Path(parsetables.PACKAGED).read_bytes() == parsetables.dumps(built), hint  # and written by the script


def test_the_tables_load_into_the_parser_lark_builds(built):
    loaded = parsetables.load(built)
    assert describe(loaded) == describe(parsetables._plain_parser())
    table = loaded.parser.parser.parser
    reductions = {argument for actions in table.parse_table.states.values()
                  for action, argument in actions.values() if action.name == "Reduce"}
    # one shared rule object per rule, in the table and as the callback's key, compared by identity
    assert reductions <= set(table.callbacks)
    assert all(type(rule).__hash__ is object.__hash__ and type(rule).__eq__ is object.__eq__ for rule in reductions)
    assert loaded.parse(SAMPLE) == parsetables._plain_parser().parse(SAMPLE)


def test_the_package_tables_are_used_and_nothing_is_built(monkeypatch, cache_dir):
    import lark

    def no_building(*args, **kwargs):
        raise AssertionError("the parse tables were built at run time")

    monkeypatch.setattr(parsetables, "_PARSER", None)
    monkeypatch.setattr(lark.Lark, "open", no_building)
    monkeypatch.setattr(lark.Lark, "__init__", no_building)
    assert parse_hcl(SAMPLE, "main.tf", "tf").blocks[0].labels == ("aws_s3_bucket", "logs")
    assert parsetables.loaded_from == "package"
    assert list(cache_dir.glob("hcl2-tables-*")) == []


@pytest.fixture()
def other_versions(monkeypatch):
    """As if python-hcl2 were another version than the shipped tables were built for."""
    monkeypatch.setattr(parsetables, "_IDENTITY", {**parsetables.identity(), "python-hcl2": "0.0.0+test"})
    monkeypatch.setattr(parsetables, "_PARSER", None)

    def fresh_parser():
        monkeypatch.setattr(parsetables, "_PARSER", None)
        return parsetables.parser()

    return fresh_parser


def test_other_versions_build_the_tables_once_into_the_user_cache(other_versions, cache_dir):
    first = other_versions()
    assert parsetables.loaded_from == "built"
    (saved,) = cache_dir.glob("hcl2-tables-*.json")
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    again = other_versions()
    assert parsetables.loaded_from == "user cache"
    assert describe(again) == describe(first) == describe(parsetables._plain_parser())
    assert parse_hcl(SAMPLE, "main.tf", "tf").blocks[0].attr("tags").value == {"team": "platform"}


@pytest.mark.parametrize("damage", ["edited", "sealed with another key", "a pickle"])
def test_saved_tables_that_do_not_check_out_are_built_again(other_versions, cache_dir, damage):
    other_versions()
    (saved,) = cache_dir.glob("hcl2-tables-*.json")
    mac, _, document = saved.read_bytes().partition(b"\n")
    if damage == "edited":
        saved.write_bytes(mac + b"\n" + document.replace(b'"lark": {', b'"lark":  {', 1))
    elif damage == "sealed with another key":
        home = cachedir.user_cache()
        stranger = cachedir.UserCache(home.directory, b"\x01" * 32)
        assert stranger.write_sealed(saved.name, "parse tables", document)
    else:
        import pickle

        saved.write_bytes(pickle.dumps({"data": "not tables"}))
    other_versions()
    assert parsetables.loaded_from == "built"
    assert cachedir.user_cache().read_sealed(saved.name, "parse tables") == document  # rewritten, valid again


def test_no_cache_directory_means_building_in_memory(other_versions, cache_dir, monkeypatch):
    monkeypatch.setattr(parsetables, "_PARSER", None)
    parsetables.parser(None)
    assert parsetables.loaded_from == "built"
    assert list(cache_dir.glob("hcl2-tables-*")) == []


def test_tables_built_during_a_scan_never_go_into_the_scanned_tree(other_versions, tmp_path, monkeypatch):
    from iacm_lint.engine import run
    from iacm_lint.options import Options

    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "main.tf").write_text(SAMPLE)
    monkeypatch.setenv("IACM_LINT_CACHE_DIR", str(repo / ".iacm-lint-cache"))
    result = run([str(repo)], Options(jobs=1))
    assert parsetables.loaded_from == "built"
    assert [f.path for f in result.repo.hcl_files] == ["main.tf"] and result.repo.hcl_files[0].error is None
    assert sorted(p.name for p in repo.iterdir()) == ["main.tf"]

"""Test-session settings shared by every test module: the cache directory,
the vendored reference data and the optional corpus, the test tiers
(markers `slow` and `e2e`), and `--update-goldens`."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def session_cache_directory(tmp_path_factory):
    """One parse/result cache for the session, not the developer's
    ~/.cache/iacm-lint: a session starts cold, and no result stored by an
    earlier run (or another checkout) can answer a test's scan."""
    previous = os.environ.get("IACM_LINT_CACHE_DIR")
    os.environ["IACM_LINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("iacm-lint-cache"))
    yield
    if previous is None:
        os.environ.pop("IACM_LINT_CACHE_DIR", None)
    else:
        os.environ["IACM_LINT_CACHE_DIR"] = previous


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch) -> Path:
    """A cache directory of the test's own (parse entries, results, grammar tables)."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("IACM_LINT_CACHE_DIR", str(directory))
    return directory


TEST_DATA = Path(__file__).resolve().parent / "data"  # vendored reference data: tests/data/README.md

# The real-world corpora are optional: a development checkout may have them
# beside the repository (../shared/corpus: terraform-aws-vpc, terraform-aws-eks),
# a fresh clone has not.
REAL_WORLD_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture()
def real_world_corpus() -> Path:
    """The folder of real public modules (false-positive checks); the test
    is skipped when the checkout has none beside it."""
    if not REAL_WORLD_CORPUS.is_dir():
        pytest.skip("the optional real-world corpus ../shared/corpus is not beside this checkout")
    return REAL_WORLD_CORPUS


@pytest.fixture(scope="session")
def sarif_schema() -> dict:
    """The OASIS SARIF 2.1.0 JSON schema (a draft-04 schema), vendored in tests/data."""
    return json.loads((TEST_DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


# ---- test tiers ------------------------------------------------------------------------------------
# `pytest` runs every test; `pytest -m "not slow"` is the fast tier (CONTRIBUTING.md, "Tests").
# The markers are given here, in one place, by file and test function (every parameter of it),
# or by file alone for a whole module.

# slow: the test function takes about a second or more on 2 cores (`pytest --durations=50`).
SLOW = {
    "test_packaging.py": "builds the sdist and the wheel and installs them into new virtual environments",
    "test_integrations.py::test_pre_commit_try_repo": "pre-commit builds the hook's environment (~15 s)",
    "test_integrations.py::test_gitlab_job_writes_a_code_quality_report_and_keeps_the_exit_code":
        "runs the GitLab job's scripts in bash, twice",
    "test_parse_tables.py::test_saved_tables_that_do_not_check_out_are_built_again":
        "lark builds the grammar's parse tables, once per parameter",
    "test_parse_tables.py::test_other_versions_build_the_tables_once_into_the_user_cache": "lark builds the tables",
    "test_parse_tables.py::test_the_tables_load_into_the_parser_lark_builds": "lark builds the tables",
    "test_parse_tables.py::test_shipped_tables_are_what_the_installed_grammar_builds": "lark builds the tables",
    "test_parse_tables.py::test_no_cache_directory_means_building_in_memory": "lark builds the tables",
    "test_pool.py::test_every_rule_case_is_the_same_through_the_pool":
        "every rule case, twice, through worker processes",
    "test_hostile_parse.py::test_killing_the_scan_kills_its_parser_processes":
        "parses for a second in three processes per signal, then waits for them to die",
    "test_hostile_git.py::test_a_fifo_where_git_reads_ignore_patterns_does_not_stall_the_scan":
        "waits for the git timeout, per parameter",
    "test_hostile_git.py::test_a_sleeping_git_and_its_children_are_killed": "waits for the git timeout",
    "test_hostile_git.py::test_a_busy_git_is_killed_at_the_timeout": "waits for the git timeout",
    "test_hostile_git.py::test_names_that_are_not_utf8_are_reported_and_every_output_holds_them":
        "runs the command once per output format",
    "test_hostile_git.py::test_a_repository_fsmonitor_command_never_runs": "runs git and the command several times",
    "test_hostile_repos.py::test_very_long_lines": "scans lines of megabytes",
    "test_hostile_cache.py::test_a_malformed_result_file_sealed_with_the_key_is_a_miss_or_reports_cleanly":
        "a scan per kind of malformed cache entry",
    "test_hostile_config.py::test_no_config_message_quotes_a_value": "runs the command once per configuration file",
    "test_no_secret_leaks.py::test_no_output_format_log_or_written_file_shows_a_secret":
        "runs the command once per output format",
    "test_versions.py::test_check_agrees_with_independent_definition": "hypothesis: a few hundred generated cases",
    "test_versions.py::test_validity_agrees_with_grammar": "hypothesis: a few hundred generated cases",
    "test_robustness.py::test_grammar_shaped_hcl_never_raises": "hypothesis: a few hundred generated files",
    "test_robustness.py::test_runs_of_blank_lines_and_comments_parse_like_one_newline":
        "hypothesis: a few hundred generated files",
    "test_readiness.py::test_html_in_chromium_shows_every_verdict_without_console_errors": "starts headless Chromium",
    "test_readiness.py::test_html_in_chromium_filters_and_sorts": "starts headless Chromium",
    "test_readiness.py::test_html_in_chromium_screenshot_shows_the_verdict_colours": "starts headless Chromium",
    "test_hostile_output.py::test_html_report_works_under_its_policy_and_blocks_anything_else":
        "starts headless Chromium",
    "test_goldens.py::test_update_goldens_rewrites_a_stale_expected_file_and_reports_it": "runs pytest three times",
}

# e2e: the test starts a program other than git (which tests use to build repositories): the installed
# command (`iacm-lint`, `python -m iacm_lint`), a packaging build, pre-commit, Chromium, a shell
# script. `_end_to_end_tests_are_marked` below fails a test that does so unmarked.
END_TO_END = {
    "test_packaging.py", "test_cli.py", "test_goldens.py",
    "test_server.py",  # starts `iacm-lint server` and drives it with an LSP client over stdio
    "test_architecture.py::test_the_import_contracts_hold",  # runs import-linter on a copy laid out like the wheel
    *(f"test_envcheck.py::{name}" for name in (
        "test_bc_python_hcl2_installed_exits_2_with_one_line",
        "test_foreign_hcl2_without_metadata_lacks_the_post_lexer",
        "test_hcl2_that_cannot_be_imported", "test_mixed_install_detected_by_python_hcl2_record",
        "test_mixed_install_with_the_old_grammar", "test_python_hcl2_outside_the_required_range",
        "test_the_intact_copy_passes_the_guard")),
    "test_hostile_cache.py::test_a_committed_pickle_in_an_in_repo_cache_directory_never_runs",
    *(f"test_hostile_config.py::{name}" for name in (
        "test_a_baseline_given_on_the_command_line_must_be_a_regular_file_of_bounded_size",
        "test_a_baseline_is_written_atomically_into_an_existing_directory_only",
        "test_a_closed_standard_output_is_an_error_not_a_silent_success",
        "test_a_config_given_with_config_is_trusted_wherever_it_lives_but_must_be_a_regular_file",
        "test_a_config_link_inside_the_repository_and_a_fifo_config_are_refused",
        "test_a_config_link_to_a_file_of_the_runner_is_refused_naming_only_the_path",
        "test_a_config_max_file_size_beyond_the_largest_limit_is_a_config_error",
        "test_a_found_configs_baseline_must_be_a_file_inside_its_directory",
        "test_a_full_standard_output_is_one_line_and_exit_2",
        "test_config_bombs_and_deep_nesting_are_refused_within_seconds",
        "test_config_keys_in_messages_are_escaped_and_shortened",
        "test_no_config_ignores_a_repository_config_that_switches_every_rule_off",
        "test_no_config_message_quotes_a_value", "test_no_output_is_written_through_a_symbolic_link",
        "test_option_values_out_of_bounds_are_usage_errors")),
    *(f"test_hostile_git.py::{name}" for name in (
        "test_a_backtracking_exclude_glob_does_not_slow_the_scan",
        "test_a_fifo_where_git_reads_ignore_patterns_does_not_stall_the_scan",
        "test_a_repository_fsmonitor_command_never_runs", "test_killing_the_scan_kills_a_blocked_git",
        "test_names_that_are_not_utf8_are_reported_and_every_output_holds_them")),
    *(f"test_hostile_output.py::{name}" for name in (
        "test_a_file_named_like_a_workflow_command_starts_no_line",
        "test_escape_sequences_in_file_names_reach_no_output_raw",
        "test_html_report_works_under_its_policy_and_blocks_anything_else",
        "test_markdown_table_cannot_be_broken_out_of",
        "test_osc_sequences_from_a_pin_file_reach_no_output_raw",
        "test_published_outputs_do_not_change_with_the_secret",
        "test_verbose_notes_and_config_errors_are_printable")),
    "test_hostile_parse.py::test_huge_numbers_through_the_command_line",
    "test_hostile_parse.py::test_killing_the_scan_kills_its_parser_processes",
    *(f"test_hostile_repos.py::{name}" for name in (
        "test_deep_nesting_through_the_command_line", "test_file_names_with_spaces_unicode_and_newlines",
        "test_max_file_size_is_configurable", "test_missing_path_exits_2_with_a_message",
        "test_symlinks_outside_the_scan_root_are_not_followed")),
    *(f"test_integrations.py::{name}" for name in (
        "test_action_keeps_the_cache_outside_the_workspace_keyed_on_the_version",
        "test_action_passes_on_a_clean_repository_with_inputs_and_args",
        "test_action_scans_a_subdirectory_uploads_repository_relative_sarif_and_fails",
        "test_action_usage_error_fails_without_upload",
        "test_github_workflow_uploads_the_sarif_file_the_check_writes",
        "test_gitlab_job_writes_a_code_quality_report_and_keeps_the_exit_code",
        "test_harness_run_step_fails_the_stage_and_is_a_valid_pipeline",
        "test_pre_commit_config_example_uses_the_shipped_hook", "test_pre_commit_try_repo")),
    *(f"test_no_secret_leaks.py::{name}" for name in (
        "test_no_output_format_log_or_written_file_shows_a_secret", "test_the_parse_cache_holds_no_secret",
        "test_the_planted_secrets_are_found_and_broken_files_reported")),
    "test_readiness_browser.py",  # headless Chromium over the DevTools protocol
    *(f"test_readiness.py::{name}" for name in (
        "test_html_in_chromium_filters_and_sorts", "test_html_in_chromium_screenshot_shows_the_verdict_colours",
        "test_html_in_chromium_shows_every_verdict_without_console_errors")),
    *(f"test_release.py::{name}" for name in (
        "test_readme_configuration_example_is_a_valid_configuration",
        "test_readme_example_command_passes_on_its_example",
        "test_readme_sample_output_is_what_the_tool_prints",
        "test_release_workflow_refuses_a_tag_that_is_not_the_version",
        "test_release_workflow_scripts_are_bash_and_take_expressions_only_through_env")),
    "test_robustness.py::test_stats_flag_prints_json_on_stderr",
    "test_scan_state.py::test_scan_after_scan_in_one_process_gives_what_a_fresh_process_gives",
}


def pytest_collection_modifyitems(config, items):
    """Give the markers of SLOW and END_TO_END; an entry naming a test that
    no longer exists is an error, so that the lists follow renames."""
    modules = {}
    for item in items:
        file = item.path.name
        modules[file] = getattr(item, "module", None)
        for marker, listed in (("slow", SLOW), ("e2e", END_TO_END)):
            if file in listed or f"{file}::{item.originalname}" in listed:
                item.add_marker(marker)
    for entry in sorted(SLOW.keys() | END_TO_END):
        file, _, name = entry.partition("::")
        if name and file in modules and not hasattr(modules[file], name):
            raise pytest.UsageError(f"tests/conftest.py marks {entry}, which does not exist")


@pytest.fixture(autouse=True)
def _end_to_end_tests_are_marked(request, monkeypatch):
    """Keep the e2e marker true: a test that starts a program other than git
    must carry it (functions only: module and session fixtures run before)."""
    started: list[str] = []

    class RecordingPopen(subprocess.Popen):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs):
            command = kwargs["args"] if "args" in kwargs else args[0]
            if isinstance(command, (str, bytes, os.PathLike)):  # one program, or a shell command line
                argv = os.fsdecode(command).split() if kwargs.get("shell") else [os.fsdecode(command)]
            else:
                argv = [os.fsdecode(word) for word in command]
            if os.path.basename(argv[0]) != "git":
                started.append(" ".join([os.path.basename(argv[0]), *argv[1:3]]) if argv[1:2] == ["-m"]
                               else os.path.basename(argv[0]))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", RecordingPopen)
    yield
    if started and request.node.get_closest_marker("e2e") is None:
        pytest.fail(f"{request.node.nodeid} starts {', '.join(sorted(set(started)))}: "
                    f"list it in END_TO_END in tests/conftest.py", pytrace=False)


# ---- golden files ----------------------------------------------------------------------------------


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite the expected-output files (testdata/rules/*/*/expected.txt) from the actual "
                          "output instead of failing, and list the files rewritten; review them with git diff")


REWRITTEN = pytest.StashKey[list]()  # the files --update-goldens rewrote in this session


class Goldens:
    """Expected-output files; with --update-goldens, rewritten from the actual output where it differs."""

    def __init__(self, config):
        self.updating = config.getoption("update_goldens")
        self.rewritten: list[Path] = config.stash.setdefault(REWRITTEN, [])

    def expected_lines(self, path: Path, actual: list[str]) -> list[str]:
        """The non-blank lines of `path` (none when it is missing); first,
        with --update-goldens, the file becomes `actual` if that differs."""
        expected = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()] \
            if path.exists() else []
        if self.updating and expected != actual:
            path.write_text("".join(line + "\n" for line in actual), encoding="utf-8")
            self.rewritten.append(path)
            return list(actual)
        return expected


@pytest.fixture()
def goldens(request) -> Goldens:
    return Goldens(request.config)


def pytest_terminal_summary(terminalreporter, config):
    if not config.getoption("update_goldens"):
        return
    rewritten = config.stash.get(REWRITTEN, [])
    terminalreporter.write_line(f"--update-goldens rewrote {len(rewritten)} expected file(s)"
                                + (":" if rewritten else ""))
    for path in sorted(rewritten):
        terminalreporter.write_line(f"  {os.path.relpath(path, config.rootpath)}")

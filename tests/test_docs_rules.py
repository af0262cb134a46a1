"""Every docs rule (DOI-M...) with a folder it flags and one it accepts."""

from __future__ import annotations

import json

import pytest

from rules.docs import commands, compose, github_repo, logo, markdownfmt, metadata, required, size, variables
from rules.docs.cross import docs_without_library, library_without_docs, readme_changes
from rules.docs.folder import check_folder
from rules.docs.model import DocsContext, Logo
from rules.findings import Severity
from tests.docs_folders import CONTENT, make_folder

CONTEXT = DocsContext(official_images=frozenset({"redis", "postgres", "nginx"}))


def rules_of(findings) -> list[str]:
    return [f.rule for f in findings]


def test_the_example_folder_is_clean() -> None:
    assert check_folder(make_folder(), CONTEXT) == []


# --- DOI-M001 required files ----------------------------------------------------------------------------


def test_missing_and_empty_required_files_are_errors() -> None:
    findings = required.required_files(make_folder({"license.md": None, "github-repo": ""}))
    assert [(f.rule, f.severity, f.path) for f in findings] == [
        ("DOI-M001", Severity.ERROR, "redis/github-repo"),
        ("DOI-M001", Severity.ERROR, "redis/license.md"),
    ]
    assert "empty" in findings[0].message and "Add license.md" in findings[1].message


def test_scratch_needs_no_content_and_a_partial_folder_is_not_judged() -> None:
    assert required.required_files(make_folder({"content.md": None}, name="scratch")) == []
    assert required.required_files(make_folder({"content.md": None}, complete=False)) == []
    assert required.required_files(make_folder()) == []


# --- DOI-M002 README-short.txt --------------------------------------------------------------------------


def test_short_description_over_100_characters() -> None:
    findings = required.short_description(make_folder({"README-short.txt": "x" * 101 + "\n"}))
    assert rules_of(findings) == ["DOI-M002"] and findings[0].line == 1 and "101" in findings[0].message


def test_short_description_counts_characters_not_bytes_and_ignores_the_newline() -> None:
    assert required.short_description(make_folder({"README-short.txt": "é" * 100 + "\n"})) == []
    assert required.short_description(make_folder({"README-short.txt": "no final newline"})) == []


def test_short_description_with_two_lines_or_missing() -> None:
    two_lines = required.short_description(make_folder({"README-short.txt": "Redis.\n\n"}))
    # the suggestion removes the second, blank line
    assert rules_of(two_lines) == ["DOI-M002"] and (two_lines[0].line, two_lines[0].suggestion) == (2, "")
    missing = required.short_description(make_folder({"README-short.txt": None}))
    assert rules_of(missing) == ["DOI-M002"] and missing[0].line is None


# --- DOI-M003 / DOI-M004 metadata.json ------------------------------------------------------------------


def meta(categories: list[str]) -> str:
    return json.dumps({"hub": {"categories": categories}}, indent=2) + "\n"


def test_metadata_must_be_jq_formatted() -> None:
    compact = '{"hub": {"categories": ["databases-and-storage"]}}\n'
    findings = metadata.metadata(make_folder({"metadata.json": compact}), CONTEXT)
    assert rules_of(findings) == ["DOI-M003"]
    assert (findings[0].line, findings[0].end_line) == (1, None)
    assert findings[0].suggestion == meta(["databases-and-storage"]).removesuffix("\n")


def test_metadata_missing_invalid_or_misshapen() -> None:
    assert rules_of(metadata.metadata(make_folder({"metadata.json": None}), CONTEXT)) == ["DOI-M003"]
    assert rules_of(metadata.metadata(make_folder({"metadata.json": ""}), CONTEXT)) == ["DOI-M003"]
    invalid = metadata.metadata(make_folder({"metadata.json": '{\n  "hub": \n'}), CONTEXT)
    assert rules_of(invalid) == ["DOI-M003"] and "JSON syntax" in invalid[0].message
    assert rules_of(metadata.metadata(make_folder({"metadata.json": '{\n  "hub": []\n}\n'}), CONTEXT)) == [
        "DOI-M003"
    ]


def test_metadata_categories_sorted_unique_few_and_known() -> None:
    unsorted = metadata.metadata(make_folder({"metadata.json": meta(["web-servers", "networking"])}), CONTEXT)
    assert rules_of(unsorted) == ["DOI-M004"] and "Sort" in unsorted[0].message
    repeated = metadata.metadata(make_folder({"metadata.json": meta(["security", "security"])}), CONTEXT)
    assert rules_of(repeated) == ["DOI-M004"]
    many = meta(["data-science", "networking", "security", "web-servers"])
    assert "at most 3" in metadata.metadata(make_folder({"metadata.json": many}), CONTEXT)[0].message
    unknown = metadata.metadata(make_folder({"metadata.json": meta(["databases"])}), CONTEXT)
    assert rules_of(unknown) == ["DOI-M004"] and '"databases"' in unknown[0].message
    three = meta(["data-science", "networking", "security"])
    assert metadata.metadata(make_folder({"metadata.json": three}), CONTEXT) == []


def test_metadata_keeps_non_ascii_as_jq_does() -> None:
    text = '{\n  "hub": {\n    "categories": []\n  },\n  "note": "café"\n}\n'
    assert metadata.check_metadata_text("x/metadata.json", text, frozenset()) == []


# --- DOI-M005 markdownfmt -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "line"),
    [
        ("Text.\n\n- one\n-\ttwo\n", 3),
        ("Text.\n\n* one\n", 3),
        ("Text.\n\n1. first\n", 3),
        ("Text.\n\n-\tone\n\t- nested\n", 4),
        ("An _important_ word.\n", 1),
        ("A __strong__ word.\n", 1),
        ("~~~console\n$ ls\n~~~\n", 1),
        ("Title\n=====\n", 1),
        ("No final newline.", 1),
        ("Two final newlines.\n\n", 2),
    ],
)
def test_markdownfmt_certain_changes(markdown: str, line: int) -> None:
    findings = markdownfmt.markdownfmt_findings("redis/content.md", markdown)
    assert rules_of(findings) == ["DOI-M005"] and findings[0].line == line


def test_markdownfmt_suggests_the_tab_form() -> None:
    findings = markdownfmt.markdownfmt_findings("redis/content.md", "Text.\n\n- `--save 60 1` snapshots.\n")
    assert findings[0].suggestion == "-\t`--save 60 1` snapshots."


@pytest.mark.parametrize(
    "markdown",
    [
        CONTENT,
        "Text.\n\n-\tone\n-\ttwo\n\n1.\tfirst\n",
        "Use `some_var_name` and snake_case_words and [a link](https://x.org/_a_b_).\n",
        "```console\n- not a list\n_not emphasis_\n```\n",
        "A sentence that ends\n- with a dash in a paragraph.\n",
        "Above\n\n---\n\nBelow\n",
        "An indented code block:\n\n    - not a list item\n",
        "",
    ],
)
def test_markdownfmt_accepts_canonical_markdown(markdown: str) -> None:
    assert markdownfmt.markdownfmt_findings("redis/content.md", markdown) == []


# --- DOI-M006 .. DOI-M008 compose.yaml ------------------------------------------------------------------

COMPOSE = """\
# Use postgres/example user/password credentials

services:
  db:
    image: postgres
    restart: always
    environment:
      POSTGRES_PASSWORD: 'yes'
    ports:
      - 5432:5432
"""
WITH_COMPOSE = CONTENT + "\n## via docker compose\n\n%%COMPOSE%%\n"


def test_compose_in_ymlfmt_form_passes() -> None:
    folder = make_folder({"compose.yaml": COMPOSE, "content.md": WITH_COMPOSE})
    assert compose.compose_format(folder) == [] and compose.compose_shown(folder) == []
    assert compose.compose_images(folder, CONTEXT) == []


def test_compose_with_indentless_list_is_reformatted() -> None:
    text = COMPOSE.replace("      - 5432:5432", "    - 5432:5432")
    findings = compose.compose_format(make_folder({"compose.yaml": text}))
    assert rules_of(findings) == ["DOI-M006"] and (findings[0].line, findings[0].end_line) == (10, None)
    assert findings[0].suggestion == "      - 5432:5432"


def test_compose_quotes_kept_for_yaml_1_1_booleans() -> None:
    # ymlfmt writes YAML 1.1, where a bare yes is a boolean: the quotes must stay.
    assert compose.ymlfmt_text(COMPOSE) == COMPOSE


@pytest.mark.parametrize("text", ["services:\n  db: [\n", "+_"])
def test_compose_that_is_not_yaml(text: str) -> None:
    # `+_` is a YAML 1.1 number that ruamel cannot build: ymlfmt would fail on it as on broken syntax
    folder = make_folder({"compose.yaml": text})
    findings = compose.compose_format(folder)
    assert rules_of(findings) == ["DOI-M006"] and "syntax" in findings[0].message
    assert compose.compose_images(folder, CONTEXT) == []


def test_compose_must_be_shown_and_shown_compose_must_exist() -> None:
    unshown = compose.compose_shown(make_folder({"compose.yaml": COMPOSE}))
    assert [(f.rule, f.path) for f in unshown] == [("DOI-M007", "redis/compose.yaml")]
    empty = compose.compose_shown(make_folder({"content.md": WITH_COMPOSE}))
    assert [(f.rule, f.path, f.line) for f in empty] == [("DOI-M007", "redis/content.md", 20)]


def test_compose_with_an_image_from_outside_the_program() -> None:
    text = COMPOSE.replace("image: postgres", "image: bitnami/postgresql:16")
    findings = compose.compose_images(make_folder({"compose.yaml": text}), CONTEXT)
    assert [(f.rule, f.line) for f in findings] == [("DOI-M008", 5)]
    for official in ("postgres:16", "docker.io/library/postgres:16", "library/nginx@sha256:abc"):
        text = COMPOSE.replace("image: postgres", f"image: {official}")
        assert compose.compose_images(make_folder({"compose.yaml": text}), CONTEXT) == []


# --- DOI-M009 variables ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["STACK", "COMPOSE-YML", "TAGS", "IMAGE_NAME"])
def test_unknown_obsolete_and_literal_variables(name: str) -> None:
    findings = variables.variables(make_folder({"content.md": CONTENT + f"\n%%{name}%%\n"}))
    assert [(f.rule, f.line) for f in findings] == [("DOI-M009", 18)]


def test_known_variables_and_printf_percents_pass() -> None:
    text = CONTENT + "\n%%REPO%% %%GITHUB-REPO%% %%ISSUES%%\n\n```console\n$ date +%%s%%\n```\n"
    assert variables.variables(make_folder({"content.md": text})) == []


# --- DOI-M010 / DOI-M011 logo ---------------------------------------------------------------------------


def test_logo_variable_without_a_logo() -> None:
    findings = logo.logo_missing(make_folder(logo=None))
    assert [(f.rule, f.line) for f in findings] == [("DOI-M010", 5)]
    assert logo.logo_missing(make_folder()) == []
    assert logo.logo_missing(make_folder(logo=None, complete=False)) == []


def test_large_logo_is_a_hint() -> None:
    huge = Logo("logo.png", 1_500_000, 8000.0, 2659.0)
    findings = logo.logo_size(make_folder(logo=huge))
    assert [(f.rule, f.severity) for f in findings] == [("DOI-M011", Severity.INFO)] * 2
    assert logo.logo_size(make_folder(logo=Logo("logo.svg", 430_000, None, None))) == []


def test_logo_facts_from_png_header_and_svg_tag() -> None:
    png = (
        b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + (640).to_bytes(4, "big") + (480).to_bytes(4, "big") + b"\x08"
    )
    assert logo.logo_facts("logo.png", png) == Logo("logo.png", len(png), 640.0, 480.0)
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="192px" height="96">'
    assert logo.logo_facts("logo.svg", svg) == Logo("logo.svg", len(svg), 192.0, 96.0)
    assert logo.logo_facts("logo.svg", b'<svg viewBox="0 0 5 5" width="50%">').width is None
    assert logo.logo_facts("logo.png", b"not a png") == Logo("logo.png", 9, None, None)


# --- DOI-M012 description size --------------------------------------------------------------------------


def test_description_over_the_hub_limit() -> None:
    long = CONTENT + ("Redis keeps the data set in memory and persists it to disk. " * 420) + "\n"
    findings = size.description_size(make_folder({"content.md": long}), {})
    assert rules_of(findings) == ["DOI-M012"] and "at least" in findings[0].message
    assert size.description_size(make_folder(), {}) == []


def test_description_estimate_counts_templates_and_expansions() -> None:
    templates = {"template.md": "%%MAINTAINER%%\n%%TAGS%%\n%%CONTENT%%%%LICENSE%%", "license-common.md": "L"}
    folder = make_folder({"content.md": "%%IMAGE%% %%IMAGE%%\n"})
    estimate = size.description_estimate(folder, templates)
    expected = "\n[Redis](https://github.com/redis/docker-library-redis)\n\n\nredis redis\n# License\n\n"
    assert estimate == len(expected) + len(folder.texts["license.md"]) + len("\nL")


# --- DOI-M013 / M015 / M016 commands --------------------------------------------------------------------


def test_privileged_in_an_example() -> None:
    text = CONTENT + "\n```console\n$ docker run --privileged -d %%IMAGE%%\n```\n"
    findings = commands.privileged(make_folder({"content.md": text}))
    assert [(f.rule, f.line) for f in findings] == [("DOI-M013", 19)]
    assert commands.privileged(make_folder()) == []


def test_console_block_without_prompts() -> None:
    text = CONTENT + "\n```console\ndocker run -d %%IMAGE%%\n```\n"
    findings = commands.console_prompts(make_folder({"content.md": text}))
    # from the command without a prompt to the closing fence
    assert [(f.rule, f.line, f.end_line) for f in findings] == [("DOI-M015", 19, 20)]
    assert commands.console_prompts(make_folder()) == []


@pytest.mark.parametrize(
    "example",
    [
        "```console\n$ docker run --name some-redis -d redis:7\n```",
        "```console\n$ docker run -it --rm \\\n\t--network some-network \\\n\tredis redis-cli -h x\n```",
        "```console\n$ docker pull docker.io/library/redis\n```",
        "```dockerfile\nFROM redis:7-alpine\n```",
    ],
)
def test_hardcoded_image_name(example: str) -> None:
    findings = commands.hardcoded_image(make_folder({"content.md": CONTENT + "\n" + example + "\n"}))
    assert rules_of(findings) == ["DOI-M016"] and findings[0].line == 19


@pytest.mark.parametrize(
    "example",
    [
        "```console\n$ docker run --name redis -d %%IMAGE%%\n```",
        "```console\n$ docker run -it --rm %%IMAGE%% redis-cli -h redis\n```",
        "```console\n$ docker run -d -v redis:/data postgres\n```",
        "```dockerfile\nFROM %%IMAGE%%:7\n```",
    ],
)
def test_image_variable_passes(example: str) -> None:
    assert commands.hardcoded_image(make_folder({"content.md": CONTENT + "\n" + example + "\n"})) == []


# --- DOI-M014 github-repo -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "https://gitlab.com/redis/redis\n",
        "https://github.com/redis/docker-library-redis.git\n",
        "github.com/redis/docker-library-redis\n",
        "https://github.com/redis/docker-library-redis\n\n",
        " https://github.com/redis/docker-library-redis\n",
    ],
)
def test_github_repo_not_a_plain_url(text: str) -> None:
    findings = github_repo.github_repo(make_folder({"github-repo": text}))
    assert rules_of(findings) == ["DOI-M014"] and findings[0].severity is Severity.WARNING


def test_github_repo_url_with_or_without_newline() -> None:
    for text in ("https://github.com/redis/docker-library-redis\n", "https://github.com/docker-library/php"):
        assert github_repo.github_repo(make_folder({"github-repo": text})) == []


# --- DOI-M017 README.md changes, DOI-M018 across repositories --------------------------------------------


def test_changed_generated_readme() -> None:
    findings = readme_changes(["README.md", "redis/content.md", "redis/README.md"])
    assert [(f.rule, f.path, f.severity) for f in findings] == [
        ("DOI-M017", "redis/README.md", Severity.ERROR)
    ]


def test_docs_folder_and_library_file_go_together() -> None:
    known = frozenset({"redis", "postgres"})
    assert rules_of(docs_without_library("espocrm", "espocrm", known)) == ["DOI-M018"]
    assert docs_without_library("redis", "redis", known) == []
    assert docs_without_library("scratch", "scratch", known) == []
    assert rules_of(library_without_docs("espocrm", "library/espocrm", known)) == ["DOI-M018"]
    assert library_without_docs("postgres", "library/postgres", known) == []


def test_cross_check_runs_when_the_library_images_are_given() -> None:
    context = DocsContext(official_images=CONTEXT.official_images, library_images=frozenset({"postgres"}))
    assert rules_of(check_folder(make_folder(), context)) == ["DOI-M018"]


def test_short_description_split_over_two_lines_without_final_newline() -> None:
    findings = required.short_description(make_folder({"README-short.txt": "Redis\nstore"}))
    assert rules_of(findings) == ["DOI-M002"]


def test_privileged_in_an_inline_example_but_not_in_a_sentence_about_it() -> None:
    inline = CONTENT + "\nRun `docker run --privileged -d %%IMAGE%%` for this.\n"
    assert [f.line for f in commands.privileged(make_folder({"content.md": inline}))] == [18]
    note = CONTENT + "\n**Note:** `--privileged` is required for Docker-in-Docker.\n"
    assert commands.privileged(make_folder({"content.md": note})) == []


def test_prompted_lines_in_a_bash_block_are_commands_too() -> None:
    text = CONTENT + "\n```bash\n$ docker run -d redis\n```\n"
    assert rules_of(commands.hardcoded_image(make_folder({"content.md": text}))) == ["DOI-M016"]


def test_a_rewrite_suggestion_replaces_from_the_first_change_to_the_end() -> None:
    text = '{\n  "hub": {\n    "categories": ["networking"]\n  }\n}\n'
    (finding,) = metadata.check_metadata_text("redis/metadata.json", text, frozenset({"networking"}))
    assert (finding.line, finding.end_line) == (3, 5)
    lines = text.split("\n")
    fixed = "\n".join([*lines[: finding.line - 1], finding.suggestion]) + "\n"
    assert fixed == meta(["networking"])


def test_logos_table_of_the_corpus_copy() -> None:
    table = (
        "image\tfile\tbytes\twidth\theight\tsvg_viewBox\tnote\n"
        "dart\tlogo.svg\t1726\t192px\t192px\t0 0 192 192\tsvg\n"
        "clickhouse\tlogo.svg\t1698\t\t\t0 0 616 616\tsvg\n"
        "hitch\t(none)\t\t\t\t\t\n"
        "broken\tlogo.png\tmany\t1\t1\t\t\n"
    )
    assert logo.logos_table(table) == {
        "dart": Logo("logo.svg", 1726, 192.0, 192.0),
        "clickhouse": Logo("logo.svg", 1698, None, None),
    }
    assert logo.logos_table("") == {}

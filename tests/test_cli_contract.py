"""The command line exactly as CONTRACT.md's "Command line" section says, one behaviour per test, as a
black-box harness that knows only the contract would see it (exit status, stdout, stderr)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli import main

REPO = Path(__file__).resolve().parents[1]
SHA = "0123456789abcdef0123456789abcdef01234567"
CLEAN = """Maintainers: Jane Doe <jane@example.com> (@jane)
GitRepo: {repo}

Tags: 1.2.3, 1.2, 1, latest
Architectures: amd64, arm64v8
GitCommit: {commit}
Directory: 1
"""
UNVERIFIED = 'FROM debian:bookworm\nRUN set -eux; \\\n\tcurl -fsSLo app.tgz "$URL"\nCMD ["app"]\n'
VERIFIED = 'FROM debian:bookworm\nCMD ["app"]\n'
TEXT_LINE = re.compile(
    r"^(?P<path>.+?)(?::(?P<line>\d+))?: (?P<severity>error|warning|info) (?P<rule>DOI-[A-Z]\d{3}): .+$"
)
FINDING_KEYS = ["rule", "severity", "path", "line", "end_line", "message", "suggestion"]


def library(repo: str = "https://github.com/example/app.git", commit: str = SHA) -> str:
    return CLEAN.format(repo=repo, commit=commit)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def findings(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, Any]]]:
    status, out, _ = cli(capsys, "check", "--format", "json", *argv)
    return status, json.loads(out)["findings"]


def doi_bot(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The installed console script (or the same entry point when it is not installed)."""
    script = Path(sys.executable).with_name("doi-bot")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from bot.cli import main; main()"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([*command, *argv], capture_output=True, text=True, cwd=cwd, env=env, check=False)


def git(repo: Path, *args: str) -> str:
    identity = ["-c", "user.name=T", "-c", "user.email=t@example.com"]
    done = subprocess.run(
        ["git", "-C", str(repo), *identity, *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def new_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "master")
    return path


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def rules_of(found: list[dict[str, Any]]) -> list[str]:
    return [f["rule"] for f in found]


# --- what a PATH is, in the contract's order -----------------------------------------------------------


def test_a_directory_with_library_is_an_official_images_checkout_before_anything_else(tmp_path, capsys):
    root = tmp_path / "oi"
    (root / "library").mkdir(parents=True)
    (root / "library" / "app").write_text("")
    (root / ".template-helpers").mkdir()
    (root / "content.md").write_text("x\n")
    status, found = findings(capsys, str(root))
    assert status == 1 and [(f["rule"], f["path"]) for f in found] == [("DOI-L001", f"{root}/library/app")]


@pytest.mark.parametrize("marker", [".template-helpers", "metadata.json"])
def test_template_helpers_or_a_root_metadata_json_is_a_docs_checkout(tmp_path, capsys, marker):
    root = tmp_path / "docs"
    (root / "app").mkdir(parents=True)
    (root / "app" / "README-short.txt").write_text("An app.\n")
    if marker == "metadata.json":
        (root / marker).write_text('{\n  "hub": {\n    "categories": []\n  }\n}\n')
    else:
        (root / marker).mkdir()
    status, found = findings(capsys, str(root))
    # the checkout's image folder is checked: its missing files are findings in it
    assert status == 1 and ("DOI-M001", f"{root}/app/content.md") in [(f["rule"], f["path"]) for f in found]


@pytest.mark.parametrize("marker", ["content.md", "README-short.txt"])
def test_a_folder_with_content_md_or_readme_short_is_one_image_folder_even_with_metadata_json(
    tmp_path, capsys, marker
):
    folder = tmp_path / "app"
    folder.mkdir()
    (folder / marker).write_text("An app.\n")
    (folder / "metadata.json").write_text('{\n  "hub": {\n    "categories": []\n  }\n}\n')
    status, found = findings(capsys, str(folder))
    assert status == 1
    assert ("DOI-M001", f"{folder}/license.md") in [(f["rule"], f["path"]) for f in found]


@pytest.mark.parametrize("name", ["Dockerfile", "Dockerfile.foo", "x.dockerfile", "x.Dockerfile"])
def test_files_named_like_a_dockerfile_are_dockerfiles(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_text(UNVERIFIED)
    status, found = findings(capsys, str(path))
    assert status == 1 and ("DOI-D001", str(path), 3) in [(f["rule"], f["path"], f["line"]) for f in found]


@pytest.mark.parametrize("name", ["dockerfile", "Dockerfile-foo", "x.DOCKERFILE", "app"])
def test_any_other_file_is_a_library_file(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_text(UNVERIFIED)
    status, found = findings(capsys, str(path))
    assert status == 1 and all(f["rule"].startswith("DOI-L") for f in found) and found


def test_a_library_file_is_named_after_itself(tmp_path, capsys):
    (tmp_path / "App").write_text(library())
    (tmp_path / "app").write_text(library())
    status, found = findings(capsys, str(tmp_path / "App"))
    assert status == 1 and "DOI-L013" in rules_of(found) and "App:1.2.3" in found[-1]["message"]
    status, found = findings(capsys, str(tmp_path / "app"))
    assert status == 0 and "app:1.2.3" in found[0]["message"]


# --- exit status ---------------------------------------------------------------------------------------


def test_exit_0_without_errors_and_1_with_one(tmp_path, capsys):
    (tmp_path / "app").write_text(library())
    (tmp_path / "Dockerfile").write_text(UNVERIFIED)
    assert cli(capsys, "check", str(tmp_path / "app"))[0] == 0
    assert cli(capsys, "check", str(tmp_path / "app"), str(tmp_path / "Dockerfile"))[0] == 1


def _usage_cases(tmp_path: Path) -> dict[str, list[str]]:
    (tmp_path / "app").write_text(library())
    (tmp_path / "empty").mkdir()
    (tmp_path / "oi" / "library").mkdir(parents=True)  # an official-images checkout, not under git
    repo = new_repo(tmp_path / "git-oi")
    (repo / "library").mkdir()
    (repo / "library" / "app").write_text(library())
    commit_all(repo, "base")
    app = str(tmp_path / "app")
    return {
        "missing path": ["check", str(tmp_path / "nope")],
        "missing path among good ones": ["check", app, str(tmp_path / "nope")],
        "directory of no known kind": ["check", str(tmp_path / "empty")],
        "unknown option": ["check", "--bogus", app],
        "bad format": ["check", "--format", "xml", app],
        "no PATH": ["check"],
        "--head without --base": ["check", "--head", "HEAD", app],
        "--source without =": ["check", "--source", "https://github.com/example/app", app],
        "--source of a missing folder": ["check", "--source", f"https://github.com/e/a={tmp_path}/nope", app],
        "--library-dir missing": ["check", "--library-dir", str(tmp_path / "nope"), app],
        "--library-dir of no checkout": ["check", "--library-dir", str(tmp_path / "empty"), app],
        "--docs-dir missing": ["check", "--docs-dir", str(tmp_path / "nope"), app],
        "--base on a library file": ["check", "--base", "HEAD", app],
        "--base on a plain folder": ["check", "--base", "HEAD", str(tmp_path / "empty")],
        "--base on a checkout not under git": ["check", "--base", "HEAD", str(tmp_path / "oi")],
        "--base with a bad revision": ["check", "--base", "no-such-rev", str(repo)],
        "--base with a bad --head": ["check", "--base", "HEAD", "--head", "no-such-rev", str(repo)],
        "--base with two checkouts": ["check", "--base", "HEAD", str(repo), str(repo)],
        "manifest of a missing file": ["manifest", str(tmp_path / "nope")],
        "manifest of a directory": ["manifest", str(tmp_path / "empty")],
        "rules in a bad format": ["rules", "--format", "yaml"],
        "no command": [],
    }


def test_could_not_run_is_exit_2_with_one_line_on_stderr_and_never_a_traceback(tmp_path):
    for case, argv in _usage_cases(tmp_path).items():
        done = doi_bot(*argv)
        assert done.returncode == 2, (case, done.stderr)
        assert done.stdout == "", case
        assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("doi-bot: "), (case, done.stderr)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_exit_2(tmp_path):
    path = tmp_path / "app"
    path.write_text(library())
    path.chmod(0)
    done = doi_bot("check", str(path))
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1


BAD_CONTENT = {
    "empty": b"",
    "binary": b"FROM x\0\x01\x02",
    "non-UTF-8": b"Maintainers: J\xe9r\xf4me <j@example.com> (@j)\n",
    "huge": b"# padding\n" * 2_000_000,  # 20 MB
    "malformed": b"Tags: 1\nGitCommit: nope\n\nFROM\nFROOM x\n",
}


@pytest.mark.parametrize("content", BAD_CONTENT.values(), ids=BAD_CONTENT.keys())
@pytest.mark.parametrize("where", ["library/app", "Dockerfile", "app/content.md"])
def test_bad_content_is_a_finding_and_exit_1_never_exit_2(tmp_path, capsys, content, where):
    if where == "app/content.md":
        target = tmp_path / "app"
        target.mkdir()
        for name in ("README-short.txt", "github-repo", "license.md", "maintainer.md"):
            (target / name).write_text("https://github.com/example/app\n")
        (target / "metadata.json").write_text('{\n  "hub": {\n    "categories": []\n  }\n}\n')
        (target / "content.md").write_bytes(content)
        place = str(target / "content.md")
        if content == BAD_CONTENT["malformed"]:  # any text is Markdown: malformed docs are bad JSON
            (target / "content.md").write_text("An app.\n")
            (target / "metadata.json").write_text('{"hub": {"categories": [}\n')
            place = str(target / "metadata.json")
    else:
        target = tmp_path / where.split("/")[-1]
        target.write_bytes(content)
        place = str(target)
    status, found = findings(capsys, str(target))
    assert status == 1
    assert any(f["path"] == place and f["severity"] == "error" for f in found)


# --- --format json, text and sarif ---------------------------------------------------------------------


def _mixed(tmp_path: Path) -> list[str]:
    """Files whose findings have lines and no line, several rules on one line, in two paths."""
    (tmp_path / "b").write_text(library().replace("latest", "latest-x, 1"))
    (tmp_path / "a").write_text(library().replace("Directory: 1", "Directory: 1\nGitcommit: x"))
    (tmp_path / "Dockerfile").write_text("FROM debian\nRUN curl -o a http://e/a\n")
    return [str(tmp_path / "b"), str(tmp_path / "Dockerfile"), str(tmp_path / "a")]


def test_json_findings_have_every_key_with_null_where_it_does_not_apply(tmp_path, capsys):
    status, out, _ = cli(capsys, "check", "--format", "json", *_mixed(tmp_path))
    document = json.loads(out)
    assert status == 1 and list(document) == ["findings"]
    assert all(list(f) == FINDING_KEYS for f in document["findings"])
    assert {f["severity"] for f in document["findings"]} == {"error", "warning", "info"}
    assert any(f["line"] is None for f in document["findings"])
    assert any(f["line"] is not None and f["end_line"] is None for f in document["findings"])
    assert any(f["suggestion"] is None for f in document["findings"])
    for f in document["findings"]:
        assert f["line"] is None or (isinstance(f["line"], int) and f["line"] >= 1)
        assert re.fullmatch(r"DOI-[LDPCMGX]\d{3}", f["rule"])


def test_json_is_ordered_by_path_then_line_null_first_then_rule(tmp_path, capsys):
    _, found = findings(capsys, *_mixed(tmp_path))
    keys = [(f["path"], f["line"] is not None, f["line"] or 0, f["rule"]) for f in found]
    assert keys == sorted(keys) and len({f["path"] for f in found}) == 3
    assert len({(f["path"], f["line"]) for f in found}) < len(found)  # some line has several rules


def test_text_is_one_line_per_finding_in_the_same_order(tmp_path, capsys):
    paths = _mixed(tmp_path)
    _, found = findings(capsys, *paths)
    status, out, _ = cli(capsys, "check", *paths)
    lines = out.splitlines()
    assert status == 1 and len(lines) == len(found)
    for line, finding in zip(lines, found, strict=True):
        where = finding["path"] if finding["line"] is None else f"{finding['path']}:{finding['line']}"
        assert line == f"{where}: {finding['severity']} {finding['rule']}: {finding['message']}"
        assert TEXT_LINE.match(line)


def assert_code_scanning_sarif(log: dict[str, Any]) -> None:
    """The structure GitHub code scanning needs from a SARIF 2.1.0 upload."""
    assert log["version"] == "2.1.0" and log["$schema"].startswith("https://")
    assert "sarif" in log["$schema"] and "2.1.0" in log["$schema"]
    for run in log["runs"]:
        driver = run["tool"]["driver"]
        assert driver["name"] == "doi-bot" and driver["rules"]
        ids = [r["id"] for r in driver["rules"]]
        assert len(ids) == len(set(ids))
        for rule in driver["rules"]:
            assert rule["shortDescription"]["text"]
        for result in run["results"]:
            assert result["ruleId"] in ids
            if "ruleIndex" in result:
                assert ids[result["ruleIndex"]] == result["ruleId"]
            assert result["level"] in ("error", "warning", "note", "none")
            assert result["message"]["text"]
            assert result["locations"]
            for location in result["locations"]:
                physical = location["physicalLocation"]
                uri = physical["artifactLocation"]["uri"]
                assert uri and " " not in uri
                region = physical["region"]
                assert isinstance(region["startLine"], int) and region["startLine"] >= 1
                assert region.get("endLine", region["startLine"]) >= region["startLine"]


def test_sarif_is_what_code_scanning_accepts_and_holds_every_finding(tmp_path, capsys):
    paths = _mixed(tmp_path)
    _, found = findings(capsys, *paths)
    status, out, _ = cli(capsys, "check", "--format", "sarif", *paths)
    log = json.loads(out)
    assert status == 1
    assert_code_scanning_sarif(log)
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == [
        (f["rule"], f["line"] or 1) for f in found
    ]
    levels = {"error": "error", "warning": "warning", "info": "note"}
    assert [r["level"] for r in results] == [levels[f["severity"]] for f in found]


def test_sarif_uri_of_a_path_with_a_space_is_percent_encoded(tmp_path, capsys):
    folder = tmp_path / "my images"
    folder.mkdir()
    (folder / "Dockerfile").write_text(UNVERIFIED)
    _, out, _ = cli(capsys, "check", "--format", "sarif", str(folder / "Dockerfile"))
    log = json.loads(out)
    assert_code_scanning_sarif(log)
    assert (
        "my%20images/Dockerfile"
        in log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    )


# --- paths open from the current directory; upstream findings carry the permalink --------------------


def test_paths_are_the_path_as_given_joined_with_the_files_place(tmp_path, capsys, monkeypatch):
    (tmp_path / "oi" / "library").mkdir(parents=True)
    (tmp_path / "oi" / "library" / "app").write_text(library().replace("latest", "latest-x"))
    (tmp_path / "docs" / "app").mkdir(parents=True)
    (tmp_path / "docs" / "app" / "content.md").write_text("An app.\n")
    monkeypatch.chdir(tmp_path)
    _, found = findings(capsys, "oi", "docs/app", "oi/library/app")
    paths = {f["path"] for f in found}
    assert "oi/library/app" in paths and "docs/app/license.md" in paths
    assert all(Path(p).exists() or p.startswith("docs/app/") or p == "oi" for p in paths)


def _upstream_clone(tmp_path: Path) -> tuple[Path, str, str]:
    """A clone whose first commit has an unverified download in 1/Dockerfile and whose second is clean."""
    repo = new_repo(tmp_path / "upstream")
    (repo / "1").mkdir()
    (repo / "1" / "Dockerfile").write_text(UNVERIFIED)
    first = commit_all(repo, "one")
    (repo / "1" / "Dockerfile").write_text(VERIFIED)
    return repo, first, commit_all(repo, "two")


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/example/app.git",
        "https://github.com/example/app",
        "http://github.com/example/app/",
        "git://github.com/example/app.git/",
        "github.com/example/app",
    ],
)
def test_source_urls_are_compared_after_normalising_and_a_clone_is_read_at_gitcommit(tmp_path, capsys, url):
    repo, first, _ = _upstream_clone(tmp_path)
    (tmp_path / "app").write_text(library(commit=first))
    status, found = findings(capsys, "--source", f"{url}={repo}", str(tmp_path / "app"))
    assert status == 1
    assert [(f["rule"], f["path"], f["line"]) for f in found if f["severity"] != "info"] == [
        ("DOI-D001", f"https://github.com/example/app/blob/{first}/1/Dockerfile", 3)
    ]


def test_a_clone_at_a_clean_gitcommit_has_no_finding_whatever_its_working_tree(tmp_path, capsys):
    repo, _, second = _upstream_clone(tmp_path)
    (repo / "1" / "Dockerfile").write_text(UNVERIFIED)  # uncommitted: not what bashbrew builds
    (tmp_path / "app").write_text(library(commit=second))
    status, found = findings(
        capsys, "--source", f"https://github.com/example/app={repo}", str(tmp_path / "app")
    )
    assert status == 0 and [f["severity"] for f in found] == ["info"]  # debian's library file is unknown
    assert "library files of debian" in found[0]["message"]


def test_a_plain_folder_is_read_as_it_is_and_other_hosts_get_the_gitrepo_at_commit_form(tmp_path, capsys):
    folder = tmp_path / "plain"
    (folder / "1").mkdir(parents=True)
    (folder / "1" / "Dockerfile").write_text(UNVERIFIED)
    gitlab = "https://gitlab.com/example/app.git"
    (tmp_path / "app").write_text(library(repo=gitlab))
    status, found = findings(
        capsys, "--source", f"https://gitlab.com/example/app/={folder}", str(tmp_path / "app")
    )
    assert status == 1
    assert [(f["rule"], f["path"], f["line"]) for f in found if f["severity"] != "info"] == [
        ("DOI-D001", f"{gitlab}@{SHA}:1/Dockerfile", 3)
    ]
    _, out, _ = cli(
        capsys, "check", "--format", "sarif", "--source", f"{gitlab}={folder}", str(tmp_path / "app")
    )
    assert_code_scanning_sarif(json.loads(out))


def test_a_github_permalink_path_is_valid_sarif(tmp_path, capsys):
    repo, first, _ = _upstream_clone(tmp_path)
    (tmp_path / "app").write_text(library(commit=first))
    _, out, _ = cli(
        capsys,
        "check",
        "--format",
        "sarif",
        "--source",
        f"github.com/example/app={repo}",
        str(tmp_path / "app"),
    )
    log = json.loads(out)
    assert_code_scanning_sarif(log)
    [result] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "DOI-D001"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == f"https://github.com/example/app/blob/{first}/1/Dockerfile"
    assert location["region"]["startLine"] == 3


def test_without_source_or_fetch_no_network_and_one_info_naming_the_entries(tmp_path, capsys, monkeypatch):
    import bot.sources.git

    def no_git(*args: object, **kwargs: object) -> None:
        raise AssertionError("git was run without --source or --fetch")

    monkeypatch.setattr(bot.sources.git.subprocess, "run", no_git)
    (tmp_path / "oi" / "library").mkdir(parents=True)
    (tmp_path / "oi" / "library" / "web").write_text(library())
    (tmp_path / "app").write_text(library())
    status, found = findings(capsys, str(tmp_path / "oi"), str(tmp_path / "app"))
    assert status == 0 and [(f["rule"], f["severity"], f["line"]) for f in found] == [
        ("DOI-P005", "info", None)
    ]
    assert "app:1.2.3" in found[0]["message"] and "web:1.2.3" in found[0]["message"]
    _, found = findings(capsys, str(tmp_path / "app"), str(tmp_path / "app"))
    assert len(found) == 1 and found[0]["message"].count("app:1.2.3") == 1


# --- --library-dir and --docs-dir: a checkout root or its library/ folder, used for the cross-checks ----


def _checkout(tmp_path: Path) -> Path:
    root = tmp_path / "official-images"
    (root / "library").mkdir(parents=True)
    (root / "library" / "debian").write_text(
        library(repo="https://github.com/example/debian.git").replace(
            "Tags: 1.2.3, 1.2, 1, latest", "Tags: bookworm"
        )
    )
    pins = root / ".external-pins" / "mcr.microsoft.com" / "windows"
    pins.mkdir(parents=True)
    (pins / "servercore___ltsc2022").write_text("sha256:" + "0" * 64 + "\n")
    return root


@pytest.mark.parametrize("form", ["root", "library"])
def test_library_dir_gives_base_image_architectures(tmp_path, capsys, form):
    root = _checkout(tmp_path)
    repo, _, clean = _upstream_clone(tmp_path)
    (tmp_path / "app").write_text(library(commit=clean).replace("amd64, arm64v8", "amd64, s390x"))
    source = ["--source", f"https://github.com/example/app={repo}", str(tmp_path / "app")]
    library_dir = str(root if form == "root" else root / "library")
    status, found = findings(capsys, "--library-dir", library_dir, *source)
    assert status == 1 and rules_of(found) == ["DOI-P001"] and "[s390x]" in found[0]["message"]
    assert rules_of(findings(capsys, *source)[1]) == ["DOI-P005"]  # no checkout: debian is not known


@pytest.mark.parametrize("form", ["root", "library"])
def test_library_dir_gives_the_external_pins(tmp_path, capsys, form):
    root = _checkout(tmp_path)
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ["app"]\n')
    library_dir = str(root if form == "root" else root / "library")
    assert findings(capsys, "--library-dir", library_dir, str(dockerfile)) == (0, [])
    dockerfile.write_text('FROM mcr.microsoft.com/windows/servercore:ltsc2019\nCMD ["app"]\n')
    status, found = findings(capsys, "--library-dir", library_dir, str(dockerfile))
    assert status == 1 and rules_of(found) == ["DOI-D003"]


@pytest.mark.parametrize("form", ["root", "library"])
def test_library_dir_gives_a_docs_folder_its_library_file(tmp_path, capsys, form):
    root = _checkout(tmp_path)
    folder = tmp_path / "docs" / "app"
    folder.mkdir(parents=True)
    (folder / "README-short.txt").write_text("An app.\n")
    library_dir = str(root if form == "root" else root / "library")
    _, found = findings(capsys, "--library-dir", library_dir, str(folder))
    assert ("DOI-M018", str(folder)) in [(f["rule"], f["path"]) for f in found]
    (root / "library" / "app").write_text(library())
    _, found = findings(capsys, "--library-dir", library_dir, str(folder))
    assert "DOI-M018" not in rules_of(found)


def _docs(tmp_path: Path, *images: str) -> Path:
    root = tmp_path / "docs"
    (root / ".template-helpers").mkdir(parents=True)
    for image in images:
        (root / image).mkdir()
        (root / image / "content.md").write_text("An image.\n")
    return root


def test_docs_dir_gives_a_library_file_its_docs_folder(tmp_path, capsys):
    (tmp_path / "app").write_text(library())
    status, found = findings(capsys, "--docs-dir", str(_docs(tmp_path, "other")), str(tmp_path / "app"))
    assert status == 0
    assert [(f["rule"], f["severity"], f["path"]) for f in found if f["rule"] == "DOI-M018"] == [
        ("DOI-M018", "warning", str(tmp_path / "app"))
    ]
    (tmp_path / "docs" / "app").mkdir()
    _, found = findings(capsys, "--docs-dir", str(tmp_path / "docs"), str(tmp_path / "app"))
    assert "DOI-M018" not in rules_of(found)


def test_docs_dir_gives_a_checkout_every_images_docs_folder_and_the_reverse(tmp_path, capsys):
    root = _checkout(tmp_path)
    (root / "library" / "app").write_text(library())
    docs = _docs(tmp_path, "debian", "orphan", "scratch")
    _, found = findings(capsys, "--docs-dir", str(docs), str(root))
    assert [f["path"] for f in found if f["rule"] == "DOI-M018"] == [f"{docs}/orphan", f"{root}/library/app"]


def test_the_real_checkouts_pair_up_both_ways(shared, capsys):
    corpus = shared / "corpus"
    docs, library_dir = str(corpus / "docs"), str(corpus / "official-images")
    _, found = findings(capsys, "--docs-dir", docs, library_dir)
    assert "DOI-M018" not in rules_of(found)
    _, found = findings(capsys, "--library-dir", library_dir, docs)
    assert "DOI-M018" not in rules_of(found)


def test_a_docs_dir_that_is_not_a_docs_checkout_is_exit_2(tmp_path, capsys):
    (tmp_path / "app").write_text(library())
    status, out, err = cli(capsys, "check", "--docs-dir", str(_checkout(tmp_path)), str(tmp_path / "app"))
    assert (status, out) == (2, "") and err.startswith("doi-bot: --docs-dir")


# --- check --base REV [--head REV] REPO_DIR ------------------------------------------------------------


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """An official-images checkout whose last commit adds a new image and breaks the existing one."""
    repo = new_repo(tmp_path / "official-images")
    (repo / "library").mkdir()
    (repo / "library" / "web").write_text(library())
    commit_all(repo, "base")
    (repo / "library" / "web").write_text(library().replace("latest", "latest-x"))
    (repo / "library" / "app").write_text(library())
    commit_all(repo, "app: new image")
    return repo


def test_base_json_is_exactly_the_review(pull_request, capsys):
    status, out, err = cli(capsys, "check", "--format", "json", "--base", "HEAD~1", str(pull_request))
    review = json.loads(out)
    assert (status, err) == (1, "")
    assert list(review) == ["summary", "findings", "comments", "labels", "conclusion", "gate"]
    assert isinstance(review["summary"], str) and review["summary"]
    assert all(list(f) == FINDING_KEYS for f in review["findings"])
    assert review["comments"] and all(list(c) == ["path", "line", "body"] for c in review["comments"])
    assert review["comments"][0]["path"] == "library/web" and review["comments"][0]["line"] >= 1
    assert review["labels"] == sorted(review["labels"]) and "new-image" in review["labels"]
    assert review["conclusion"] == "failure" and review["gate"] == "pending"


def test_base_head_names_the_end_of_the_change(pull_request, capsys):
    status, out, _ = cli(
        capsys, "check", "--format", "json", "--base", "HEAD~1", "--head", "HEAD~1", str(pull_request)
    )
    review = json.loads(out)
    assert status == 0 and review["findings"] == [] and review["gate"] is None and review["labels"] == []


def test_base_text_prints_the_same_review_readably(pull_request, capsys):
    _, out, _ = cli(capsys, "check", "--format", "json", "--base", "HEAD~1", str(pull_request))
    review = json.loads(out)
    status, text, _ = cli(capsys, "check", "--base", "HEAD~1", str(pull_request))
    assert status == 1 and text.startswith(review["summary"].rstrip("\n"))
    for finding in review["findings"]:
        assert f"{finding['severity']} {finding['rule']}: {finding['message']}" in text
    for comment in review["comments"]:
        assert f"{comment['path']}:{comment['line']}" in text and comment["body"].splitlines()[0] in text
    assert f"labels: {', '.join(review['labels'])}" in text
    assert f"conclusion: {review['conclusion']}" in text and f"gate: {review['gate']}" in text


def test_base_sarif_is_valid(pull_request, capsys):
    status, out, _ = cli(capsys, "check", "--format", "sarif", "--base", "HEAD~1", str(pull_request))
    assert status == 1
    assert_code_scanning_sarif(json.loads(out))


def test_base_with_docs_dir_asks_a_new_image_for_its_docs(pull_request, tmp_path, capsys):
    docs = _docs(tmp_path, "web")
    _, out, _ = cli(
        capsys, "check", "--format", "json", "--docs-dir", str(docs), "--base", "HEAD~1", str(pull_request)
    )
    found = json.loads(out)["findings"]
    assert [f["path"] for f in found if f["rule"] == "DOI-M018"] == [f"{pull_request}/library/app"]


# --- manifest ------------------------------------------------------------------------------------------

ENTRY_KEYS = [
    "Line",
    "Tags",
    "SharedTags",
    "Architectures",
    "GitRepo",
    "GitFetch",
    "GitCommit",
    "Directory",
    "File",
    "Builder",
    "Constraints",
    "Arches",
]
ARCH_KEYS = ["GitRepo", "GitFetch", "GitCommit", "Directory", "File", "Builder"]


def test_manifest_json_has_every_key_of_the_contract(tmp_path, capsys):
    path = tmp_path / "app"
    path.write_text(
        library() + f"arm64v8-GitCommit: {'f' * 40}\n\nTags: 0.9\nSharedTags: old\nGitCommit: {SHA}\n"
    )
    status, out, err = cli(capsys, "manifest", "--json", str(path))
    document = json.loads(out)
    assert (status, err) == (0, "") and list(document) == ["Maintainers", "Entries"]
    assert document["Maintainers"] == ["Jane Doe <jane@example.com> (@jane)"]
    first, second = document["Entries"]
    assert list(first) == ENTRY_KEYS and list(second) == ENTRY_KEYS
    assert (first["Line"], second["Line"]) == (4, 10)
    assert (
        first["Arches"]["arm64v8"]["GitCommit"] == "f" * 40 and first["Arches"]["amd64"]["GitCommit"] == SHA
    )
    assert (
        second["Architectures"] == ["amd64"]
        and second["SharedTags"] == ["old"]
        and second["Directory"] == "."
    )
    for entry in document["Entries"]:
        assert list(entry["Arches"]) == entry["Architectures"]
        assert all(list(source) == ARCH_KEYS for source in entry["Arches"].values())


def test_manifest_of_a_rejected_file_is_bashbrews_first_error_alone(tmp_path):
    path = tmp_path / "app"
    path.write_text("Maintainers: nobody\n\nTags: 1\nGitCommit: nope\n")
    done = doi_bot("manifest", "--json", str(path))
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith('invalid Maintainers: "nobody"') and len(done.stderr.splitlines()) == 1
    done = doi_bot("manifest", str(path))
    assert (done.returncode, done.stdout) == (1, "") and done.stderr.startswith("invalid Maintainers")


def test_manifest_text_is_bashbrew_cat(tmp_path, capsys):
    path = tmp_path / "app"
    path.write_text(library().replace("amd64, arm64v8", "arm64v8, amd64,amd64"))
    status, out, _ = cli(capsys, "manifest", str(path))
    assert (
        status == 0 and "Architectures: amd64, arm64v8\n" in out and out.startswith("Maintainers: Jane Doe")
    )


# --- rules ---------------------------------------------------------------------------------------------


def test_rules_in_every_format_list_every_rule(capsys):
    status, out, _ = cli(capsys, "rules", "--format", "json")
    rules = json.loads(out)
    assert status == 0 and rules and all(list(r) == ["id", "severity", "title", "why"] for r in rules)
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"DOI-[LDPCMGX]\d{3}", i) for i in ids)
    assert {r["severity"] for r in rules} == {"error", "warning", "info"}
    for fmt in ("text", "markdown"):
        status, out, _ = cli(capsys, "rules", "--format", fmt)
        assert status == 0 and all(i in out for i in ids)
    assert cli(capsys, "rules")[1] == cli(capsys, "rules", "--format", "text")[1]


# --- the real corpus: a smoke test in every format -----------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_the_real_corpus_checks_clean_in_every_format(shared, capsys, fmt):
    corpus = shared / "corpus"
    status, out, err = cli(
        capsys, "check", "--format", fmt, str(corpus / "official-images"), str(corpus / "docs")
    )
    assert (status, err) == (0, "")
    if fmt == "json":
        assert all(f["severity"] != "error" for f in json.loads(out)["findings"])
    elif fmt == "sarif":
        assert_code_scanning_sarif(json.loads(out))
    else:
        assert all(TEXT_LINE.match(line) for line in out.splitlines())


def test_a_file_that_cannot_be_read_midway_is_exit_2_not_a_traceback(tmp_path, capsys, monkeypatch):
    root = _docs(tmp_path, "app")
    (root / "metadata.json").write_text('{\n  "hub": {\n    "categories": []\n  }\n}\n')
    read_bytes = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path.name == "metadata.json":
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    status, out, err = cli(capsys, "check", str(root))
    assert (status, out) == (2, "")
    assert err == f"doi-bot: {root}/metadata.json: cannot be read (Permission denied)\n"


# --- any command line: exit 0, 1 or 2, never a traceback ------------------------------------------------


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """One PATH of every kind, and some that are none."""
    root = tmp_path_factory.mktemp("places")
    repo = new_repo(root / "oi")
    (repo / "library").mkdir()
    (repo / "library" / "app").write_text(library())
    commit_all(repo, "base")
    (root / "docs" / "app").mkdir(parents=True)
    (root / "docs" / "app" / "content.md").write_text("An app.\n")
    (root / "docs" / ".template-helpers").mkdir()
    (root / "Dockerfile").write_text(UNVERIFIED)
    (root / "app").write_text(library())
    (root / "empty").mkdir()
    return [str(root / name) for name in ("oi", "docs", "docs/app", "Dockerfile", "app", "empty", "nope")]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_command_line_exits_0_1_or_2_and_never_raises(places, capsys, data):
    words = st.sampled_from(
        ["--format", "json", "sarif", "text", "xml", "--base", "HEAD", "--head", "--source", "u=v",
         "--library-dir", "--docs-dir", "--json", "markdown", *places]
    )  # fmt: skip
    command = data.draw(st.sampled_from(["check", "manifest", "rules"]))
    argv = [command, *data.draw(st.lists(words, max_size=6))]
    try:
        status = main(argv)
    except SystemExit as exit:  # argparse: a bad option
        status = exit.code
    out, err = capsys.readouterr()
    assert status in (0, 1, 2), argv
    if status == 2:
        assert out == "" and len(err.splitlines()) == 1 and err.startswith("doi-bot: "), (argv, err)

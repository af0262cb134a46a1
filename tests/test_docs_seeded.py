"""Seeded defects: one realistic contributor mistake in a copy of a real docs folder, found on its line."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli import main

CORPUS = "corpus/docs"


@dataclass(frozen=True)
class Seed:
    """Change `file` of the real `image` folder with `edit` (None removes it); `rule` must fire on `line`."""

    image: str
    file: str
    edit: Callable[[str], str] | None
    rule: str
    line: int | str | Callable[[str], int] | None  # a number, the line of a text, or from the seeded file


def expected_line(seed: Seed, text: str) -> int | None:
    if isinstance(seed.line, str):
        return line_of(text, seed.line)
    return seed.line(text) if callable(seed.line) else seed.line


def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, f"the seed needs {old!r} in the real file"
        return text.replace(old, new, 1)

    return edit


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


SEEDS = {
    "short-101-chars": Seed(
        "redis", "README-short.txt", lambda t: t.rstrip("\n").ljust(101, ".") + "\n", "DOI-M002", 1
    ),
    "short-second-line": Seed(
        "redis", "README-short.txt", lambda t: t + "Maintained by Redis.\n", "DOI-M002", 2
    ),
    "short-empty": Seed("redis", "README-short.txt", lambda t: "\n", "DOI-M002", 1),
    "category-unknown": Seed(
        "redis", "metadata.json", replace('"databases-and-storage"', '"database"'), "DOI-M004", 4
    ),
    "categories-unsorted": Seed(
        "influxdb",
        "metadata.json",
        replace(
            '"data-science",\n      "databases-and-storage"', '"databases-and-storage",\n      "data-science"'
        ),
        "DOI-M004",
        4,
    ),
    "categories-four": Seed(
        "influxdb",
        "metadata.json",
        replace('"internet-of-things"\n', '"internet-of-things",\n      "monitoring-and-observability"\n'),
        "DOI-M004",
        7,
    ),
    "metadata-one-line": Seed(
        "redis", "metadata.json", lambda t: json.dumps(json.loads(t)) + "\n", "DOI-M003", 1
    ),
    "metadata-four-spaces": Seed(
        "redis", "metadata.json", lambda t: json.dumps(json.loads(t), indent=4) + "\n", "DOI-M003", 2
    ),
    "metadata-unsorted-keys": Seed(
        "redis", "metadata.json", replace('  "hub": {', '  "hub": {\n    "name": "redis",'), "DOI-M003", 3
    ),
    "star-tab-list": Seed(
        "redis", "content.md", replace("\n-\t[Protected mode]", "\n*\t[Protected mode]"), "DOI-M005", 14
    ),
    "star-space-list": Seed(
        "redis", "content.md", replace("\n-\t[Protected mode]", "\n* [Protected mode]"), "DOI-M005", 14
    ),
    "underscore-emphasis": Seed(
        "redis",
        "content.md",
        replace("\n-\t[Protected mode]", "\n-\t_Read_ [Protected mode]"),
        "DOI-M005",
        14,
    ),
    "tilde-fence": Seed(
        "memcached", "content.md", replace("```console\n", "~~~console\n"), "DOI-M005", "~~~console"
    ),
    "no-final-newline": Seed(
        "redis", "content.md", lambda t: t.rstrip("\n"), "DOI-M005", lambda t: t.count("\n") + 1
    ),
    "two-final-newlines": Seed(
        "redis", "content.md", lambda t: t + "\n", "DOI-M005", lambda t: t.count("\n")
    ),
    "variable-stack": Seed(
        "wordpress", "content.md", replace("%%COMPOSE%%", "%%STACK%%"), "DOI-M009", "%%STACK%%"
    ),
    "variable-compose-yml": Seed(
        "wordpress", "content.md", replace("%%COMPOSE%%", "%%COMPOSE-YML%%"), "DOI-M009", "%%COMPOSE-YML%%"
    ),
    "variable-typo": Seed(
        "memcached", "content.md", replace("-d %%IMAGE%%", "-d %%IMGAE%%"), "DOI-M009", "%%IMGAE%%"
    ),
    "logo-without-file": Seed(
        "memcached",
        "content.md",
        replace("\n# How to use", "\n%%LOGO%%\n\n# How to use"),
        "DOI-M010",
        "%%LOGO%%",
    ),
    "compose-list-indent": Seed(
        "wordpress", "compose.yaml", replace("      - 8080:80", "    - 8080:80"), "DOI-M006", "    - 8080:80"
    ),
    "compose-unofficial-image": Seed(
        "wordpress",
        "compose.yaml",
        replace("image: mysql:8.0", "image: bitnami/mysql"),
        "DOI-M008",
        "bitnami/mysql",
    ),
    "license-missing": Seed("redis", "license.md", None, "DOI-M001", None),
    "maintainer-missing": Seed("redis", "maintainer.md", None, "DOI-M001", None),
    "github-repo-missing": Seed("redis", "github-repo", None, "DOI-M001", None),
    "license-empty": Seed("redis", "license.md", lambda t: "", "DOI-M001", None),
    "maintainer-empty": Seed("redis", "maintainer.md", lambda t: "\n", "DOI-M001", None),
    "github-repo-empty": Seed("redis", "github-repo", lambda t: "", "DOI-M001", None),
    "github-repo-http": Seed("redis", "github-repo", replace("https://", "http://"), "DOI-M014", 1),
    "github-repo-path": Seed(
        "redis", "github-repo", lambda t: t.rstrip("\n") + "/tree/master\n", "DOI-M014", 1
    ),
    "github-repo-no-scheme": Seed("redis", "github-repo", replace("https://", ""), "DOI-M014", 1),
    "docker-run-privileged": Seed(
        "memcached",
        "content.md",
        replace("docker run --rm", "docker run --privileged --rm"),
        "DOI-M013",
        "--privileged",
    ),
    "console-without-prompt": Seed(
        "memcached",
        "content.md",
        replace("$ docker run --rm", "docker run --rm"),
        "DOI-M015",
        "docker run --rm",
    ),
}


def seeded_folder(shared: Path, tmp_path: Path, seed: Seed) -> tuple[Path, str]:
    folder = tmp_path / seed.image
    shutil.copytree(shared / CORPUS / seed.image, folder, symlinks=False)
    folder.chmod(0o755)
    target = folder / seed.file
    target.chmod(0o644)
    if seed.edit is None:
        target.unlink()
        return folder, ""
    text = seed.edit(target.read_text())
    target.write_text(text)
    return folder, text


def findings_of(path: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    main(["check", "--format", "json", str(path)])
    return json.loads(capsys.readouterr().out)["findings"]


@pytest.mark.parametrize("name", list(SEEDS))
def test_a_seeded_defect_is_found_on_its_line(
    name: str, shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = SEEDS[name]
    folder, text = seeded_folder(shared, tmp_path, seed)
    found = {(f["rule"], f["path"], f["line"]) for f in findings_of(folder, capsys)}
    assert (seed.rule, str(folder / seed.file), expected_line(seed, text)) in found, sorted(found)


@pytest.mark.parametrize("image", sorted({seed.image for seed in SEEDS.values()}))
def test_the_unseeded_folders_have_no_findings_but_the_missing_logo(
    image: str, shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / image
    shutil.copytree(shared / CORPUS / image, folder, symlinks=False)
    rules = {f["rule"] for f in findings_of(folder, capsys)}
    assert rules <= {"DOI-M010"}


# Kinds seeded into every real folder whose file holds the text the seed needs (`needs`), so that no
# folder's own shape hides them.
EVERYWHERE: dict[str, tuple[Seed, str]] = {
    "tilde-fence": (Seed("", "content.md", replace("```", "~~~"), "DOI-M005", "~~~"), "```"),
    "no-final-newline": (
        Seed("", "content.md", lambda t: t.rstrip("\n"), "DOI-M005", lambda t: t.count("\n") + 1),
        "",
    ),
    "variable-stack": (Seed("", "content.md", lambda t: t + "\n%%STACK%%\n", "DOI-M009", "%%STACK%%"), ""),
    "short-second-line": (
        Seed("", "README-short.txt", lambda t: t.rstrip("\n") + "\nMore.\n", "DOI-M002", 2),
        "",
    ),
    "metadata-one-line": (
        Seed("", "metadata.json", lambda t: json.dumps(json.loads(t)) + "\n", "DOI-M003", 1),
        "",
    ),
    "github-repo-http": (Seed("", "github-repo", replace("https://", "http://"), "DOI-M014", 1), "https://"),
}


@pytest.mark.parametrize("name", list(EVERYWHERE))
def test_a_seeded_kind_is_found_in_every_real_folder(
    name: str, shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kind, needs = EVERYWHERE[name]
    images = sorted(p.name for p in (shared / CORPUS).iterdir() if p.is_dir() and not p.name.startswith("."))
    seeded, missed = 0, []
    for image in images:
        source = shared / CORPUS / image / kind.file
        if not source.is_file() or needs not in source.read_text():
            continue
        seed = Seed(image, kind.file, kind.edit, kind.rule, kind.line)
        folder, text = seeded_folder(shared, tmp_path / name, seed)
        found = {(f["rule"], f["path"], f["line"]) for f in findings_of(folder, capsys)}
        seeded += 1
        if (seed.rule, str(folder / seed.file), expected_line(seed, text)) not in found:
            missed.append(image)
    assert len(images) == 145 and seeded >= 100 and missed == []

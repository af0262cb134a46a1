"""Small docs image folders in the docs repository's own style, for the M-rule tests."""

from __future__ import annotations

import json
from pathlib import Path

from rules.docs.folder import build_folder
from rules.docs.model import DocsFolder, Logo

CONTENT = """\
# What is Redis?

Redis is an in-memory data store used as a database, cache and message broker.

%%LOGO%%

# How to use this image

## start a redis instance

```console
$ docker run --name some-redis -d %%IMAGE%%
```

-	`--appendonly yes` keeps the data on disk.
-	`--save 60 1` snapshots every minute.
"""

FILES = {
    "README-short.txt": "Redis is an in-memory data store used by millions of developers.\n",
    "content.md": CONTENT,
    "github-repo": "https://github.com/redis/docker-library-redis\n",
    "license.md": "View [license information](https://redis.io/legal/licenses/) for the software contained in"
    " this image.\n",
    "maintainer.md": "[Redis](%%GITHUB-REPO%%)\n",
    "metadata.json": '{\n  "hub": {\n    "categories": [\n      "databases-and-storage"\n    ]\n  }\n}\n',
}

PNG_LOGO = Logo("logo.png", 14_000, 400.0, 400.0)


def make_folder(
    changes: dict[str, str | None] | None = None,
    *,
    name: str = "redis",
    logo: Logo | None = PNG_LOGO,
    complete: bool = True,
) -> DocsFolder:
    """The redis folder above, with files replaced (`name: text`) or removed (`name: None`)."""
    files = dict(FILES)
    for file_name, text in (changes or {}).items():
        if text is None:
            files.pop(file_name, None)
        else:
            files[file_name] = text
    contents: dict[str, bytes | None] = {n: t.encode() for n, t in files.items()}
    folder, problems = build_folder(name, name, contents, logo_facts=logo, complete=complete)
    assert problems == []
    return folder


CATEGORIES = {"hub": {"categories": ["databases-and-storage", "networking"]}}


def write_checkout(root: Path) -> Path:
    """A docs checkout: root metadata.json, shared templates, the redis folder (maintainer.md a symlink)."""
    (root / ".template-helpers").mkdir(parents=True)
    (root / ".template-helpers" / "template.md").write_text("%%MAINTAINER%%\n%%CONTENT%%%%LICENSE%%\n")
    (root / ".common-templates").mkdir()
    (root / ".common-templates" / "maintainer-community.md").write_text(
        "[the Docker Community](%%GITHUB-REPO%%)\n"
    )
    (root / "metadata.json").write_text(json.dumps(CATEGORIES, indent=2) + "\n")
    folder = root / "redis"
    folder.mkdir()
    for name, text in FILES.items():
        if name != "maintainer.md":
            (folder / name).write_text(text)
    (folder / "maintainer.md").symlink_to("../.common-templates/maintainer-community.md")
    return root

"""What a change to one library file does (base -> head), and its Markdown at a glance.

Entries are matched by the tags they share (a version bump keeps its aliases: `3.13.1, 3.13, 3` ->
`3.13.2, 3.13, 3`), so a bump reads as one changed entry, not one removed and one added.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rules.github_repo import github_repository
from rules.library.model import Entry, LibraryFile

MAX_MARKDOWN = 60_000

ImageStatus = Literal["added", "deleted", "retired", "revived", "changed", "unchanged", "unreadable"]


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str  # GitRepo, GitFetch, GitCommit, Directory, File, Builder, Constraints, or "<arch>-<Field>"
    old: str
    new: str
    compare_url: str | None = None  # for GitCommit changes of a GitHub repository


@dataclass(frozen=True, slots=True)
class EntryChange:
    base: Entry
    head: Entry
    tags_added: tuple[str, ...]
    tags_removed: tuple[str, ...]
    arches_added: tuple[str, ...]
    arches_removed: tuple[str, ...]
    fields: tuple[FieldChange, ...]

    @property
    def changed(self) -> bool:
        return bool(
            self.tags_added or self.tags_removed or self.arches_added or self.arches_removed or self.fields
        )


@dataclass(frozen=True, slots=True)
class TagMove:
    tag: str
    old: Entry  # the entry it was on
    new: Entry  # the entry it is on now


@dataclass(frozen=True, slots=True)
class LibraryChange:
    name: str
    status: ImageStatus
    base: LibraryFile | None
    head: LibraryFile | None
    entries_added: tuple[Entry, ...] = ()
    entries_removed: tuple[Entry, ...] = ()
    entries_changed: tuple[EntryChange, ...] = ()
    tags_added: tuple[str, ...] = ()
    tags_removed: tuple[str, ...] = ()
    tags_moved: tuple[TagMove, ...] = ()
    maintainers_added: tuple[str, ...] = ()
    maintainers_removed: tuple[str, ...] = ()


def compare_url(git_repo: str, old: str, new: str) -> str | None:
    """GitHub's compare page between two commits of a GitHub repository, else None."""
    repository = github_repository(git_repo)
    if not repository or not old or not new:
        return None
    return f"https://github.com/{repository}/compare/{old}...{new}"


def _field_changes(base: Entry, head: Entry) -> tuple[FieldChange, ...]:
    changes = []
    values = {
        "GitRepo": (base.git_repo, head.git_repo),
        "GitFetch": (base.git_fetch, head.git_fetch),
        "GitCommit": (base.git_commit, head.git_commit),
        "Directory": (base.directory, head.directory),
        "File": (base.file, head.file),
        "Builder": (base.builder, head.builder),
        "Constraints": (", ".join(base.constraints), ", ".join(head.constraints)),
    }
    for key in sorted(set(base.arch_values) | set(head.arch_values)):
        values[key] = (base.arch_values.get(key, ""), head.arch_values.get(key, ""))
    for name, (old, new) in values.items():
        if old == new:
            continue
        url = None
        if name.endswith("GitCommit"):
            arch = name[: -len("GitCommit")].rstrip("-")
            repo = head.source(arch).git_repo if arch else head.git_repo
            old_repo = base.source(arch).git_repo if arch else base.git_repo
            url = compare_url(repo, old, new) if repo == old_repo else None
        changes.append(FieldChange(name, old, new, url))
    return tuple(changes)


def _match_entries(base: Sequence[Entry], head: Sequence[Entry]) -> list[tuple[Entry, Entry]]:
    """Pairs of (base, head) entries that are the same entry, matched greedily by the tags they share.

    A base entry's earlier tags are its specific ones (`1.2.3, 1.2`), its later ones float (`1`, `latest`):
    sharing the specific ones counts more, so a new series takes over `1, latest` without taking the place
    of the old entry.
    """
    weight: dict[str, tuple[int, int]] = {}  # tag -> (base index, weight)
    for index, entry in enumerate(base):
        for position, tag in enumerate(entry.tags):
            weight.setdefault(tag, (index, len(entry.tags) - position))
    candidates = []
    for head_index, entry in enumerate(head):
        scores: dict[int, int] = {}
        for tag in entry.tags:
            if tag in weight:
                base_index, points = weight[tag]
                scores[base_index] = scores.get(base_index, 0) + points
        candidates += [(-score, head_index, base_index) for base_index, score in scores.items()]
    candidates.sort()
    used_base: set[int] = set()
    used_head: set[int] = set()
    pairs = []
    for _, head_index, base_index in candidates:
        if head_index in used_head or base_index in used_base:
            continue
        used_head.add(head_index)
        used_base.add(base_index)
        pairs.append((base[base_index], head[head_index]))
    return pairs


def _first_owner(entries: Sequence[Entry]) -> dict[str, Entry]:
    owner: dict[str, Entry] = {}
    for entry in entries:
        for tag in entry.all_tags:
            owner.setdefault(tag, entry)
    return owner


def library_change(name: str, base: LibraryFile | None, head: LibraryFile | None) -> LibraryChange:
    """What changed from `base` to `head` (None: the file does not exist on that side)."""
    if head is None:
        return LibraryChange(name, "deleted", base, None, tags_removed=tuple(base.tags()) if base else ())
    if base is None:
        return LibraryChange(
            name, "added", None, head, entries_added=head.entries, tags_added=tuple(head.tags())
        )
    pairs = _match_entries(base.entries, head.entries)
    matched_base = {id(b) for b, _ in pairs}
    matched_head = {id(h) for _, h in pairs}
    base_tags, head_tags = base.tags(), head.tags()
    head_set, base_set = set(head_tags), set(base_tags)
    base_owner = _first_owner(base.entries)
    head_owner = _first_owner(head.entries)
    partner = {id(b): h for b, h in pairs}
    moves = []
    for tag in head_tags:
        if tag in base_owner and tag in head_owner:
            old_entry, new_entry = base_owner[tag], head_owner[tag]
            if partner.get(id(old_entry)) is not new_entry:
                moves.append(TagMove(tag, old_entry, new_entry))
    moved = {move.tag for move in moves}  # told once, as a move, not as removed here and added there
    changed = []
    for old, new in pairs:
        change = EntryChange(
            base=old,
            head=new,
            tags_added=tuple(t for t in new.all_tags if t not in old.all_tags and t not in moved),
            tags_removed=tuple(t for t in old.all_tags if t not in new.all_tags and t not in moved),
            arches_added=tuple(a for a in new.architectures if a not in old.architectures),
            arches_removed=tuple(a for a in old.architectures if a not in new.architectures),
            fields=_field_changes(old, new),
        )
        if change.changed:
            changed.append(change)
    status: ImageStatus = "changed"
    if head.retired and not base.retired:
        status = "retired"
    elif base.retired and head.entries:
        status = "revived"
    change = LibraryChange(
        name=name,
        status=status,
        base=base,
        head=head,
        entries_added=tuple(e for e in head.entries if id(e) not in matched_head),
        entries_removed=tuple(e for e in base.entries if id(e) not in matched_base),
        entries_changed=tuple(changed),
        tags_added=tuple(t for t in head_tags if t not in base_set),
        tags_removed=tuple(t for t in base_tags if t not in head_set),
        tags_moved=tuple(moves),
        maintainers_added=tuple(m for m in head.maintainers if m not in base.maintainers),
        maintainers_removed=tuple(m for m in base.maintainers if m not in head.maintainers),
    )
    if status == "changed" and not _any_change(change):
        return LibraryChange(name, "unchanged", base, head)
    return change


def _any_change(change: LibraryChange) -> bool:
    return bool(
        change.entries_added
        or change.entries_removed
        or change.entries_changed
        or change.tags_added
        or change.tags_removed
        or change.tags_moved
        or change.maintainers_added
        or change.maintainers_removed
    )


# --- Markdown ------------------------------------------------------------------------------------------


def _code(text: str) -> str:
    text = text.replace("\n", " ").replace("`", "'")
    return f"`{text}`"


def _short(commit: str) -> str:
    return commit[:12] if re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", commit) else commit


def _names(entry: Entry) -> str:
    return _code(", ".join(entry.tags))


def _tag_list(tags: Sequence[str], limit: int | None) -> str:
    shown = tags if limit is None else tags[:limit]
    text = ", ".join(_code(t) for t in shown)
    if limit is not None and len(tags) > limit:
        text += f" and {len(tags) - limit} more"
    return text


def _field_line(change: FieldChange) -> str:
    if change.field.endswith("GitCommit"):
        text = f"{change.field} {_code(_short(change.old))} → {_code(_short(change.new))}"
        return f"{text} ([compare]({change.compare_url}))" if change.compare_url else text
    return f"{change.field} {_code(change.old or '(none)')} → {_code(change.new or '(none)')}"


def _entry_lines(change: EntryChange, limit: int | None) -> list[str]:
    parts = []
    if change.tags_added:
        parts.append(f"tags added {_tag_list(change.tags_added, limit)}")
    if change.tags_removed:
        parts.append(f"tags removed {_tag_list(change.tags_removed, limit)}")
    if change.arches_added:
        parts.append("architectures added " + ", ".join(change.arches_added))
    if change.arches_removed:
        parts.append("architectures removed " + ", ".join(change.arches_removed))
    fields = list(change.fields)
    if limit is not None and len(fields) > limit:
        parts += [_field_line(f) for f in fields[:limit]]
        parts.append(f"{len(fields) - limit} more field changes")
    else:
        parts += [_field_line(f) for f in fields]
    return [f"- {_names(change.head)}: " + "; ".join(parts)]


def _latest_sentence(move: TagMove) -> str:
    old = move.old.tags[0] if move.old.tags else "?"
    new = move.new.tags[0] if move.new.tags else "?"
    return f"- `{move.tag}` moves from {_code(old)} to {_code(new)}."


_TITLES = {
    "added": "new image",
    "deleted": "image deleted",
    "retired": "image retired (only the global paragraph is left)",
    "revived": "image active again",
    "changed": "changed",
    "unchanged": "no effective change",
    "unreadable": "cannot be read (see the findings)",
}


def _counts(change: LibraryChange) -> str:
    parts = []
    for count, label in (
        (len(change.entries_added), "added"),
        (len(change.entries_removed), "removed"),
        (len(change.entries_changed), "changed"),
    ):
        if count:
            parts.append(f"{count} {label}")
    tag_parts = []
    for count, label in ((len(change.tags_added), "added"), (len(change.tags_removed), "removed")):
        if count:
            tag_parts.append(f"{count} {label}")
    text = ("entries: " + ", ".join(parts)) if parts else ""
    if tag_parts:
        text += ("; " if text else "") + "tags: " + ", ".join(tag_parts)
    return text


def _image_lines(change: LibraryChange, detail: int) -> list[str]:
    """Markdown lines for one image; detail 2 = everything, 1 = lists shortened, 0 = one line."""
    head = f"#### `{change.name}`: {_TITLES[change.status]}"
    counts = _counts(change)
    if detail == 0:
        return [f"- `{change.name}`: {_TITLES[change.status]}" + (f" ({counts})" if counts else "")]
    limit = None if detail == 2 else 5
    lines = [head]
    if counts:
        lines.append(counts[0].upper() + counts[1:] + ".")
    if change.status in ("added", "revived") and change.head is not None:
        entries = change.head.entries if change.status == "added" else change.entries_added
        shown = entries if limit is None else entries[:limit]
        for entry in shown:
            lines.append(f"- {_names(entry)} on {', '.join(entry.architectures)}")
        if len(shown) < len(entries):
            lines.append(f"- and {len(entries) - len(shown)} more entries")
        if change.head.maintainers:
            lines.append("- Maintainers: " + ", ".join(_code(m) for m in change.head.maintainers))
        return lines
    if change.status in ("deleted", "unreadable"):
        if change.tags_removed:
            lines.append(f"- Tags removed: {_tag_list(change.tags_removed, limit)}")
        return lines
    latest = [m for m in change.tags_moved if m.tag == "latest"]
    lines += [_latest_sentence(m) for m in latest]
    other_moves = [m for m in change.tags_moved if m.tag != "latest"]
    shown_moves = other_moves if limit is None else other_moves[:limit]
    for move in shown_moves:
        lines.append(f"- Tag {_code(move.tag)} moves from {_names(move.old)} to {_names(move.new)}.")
    if len(shown_moves) < len(other_moves):
        lines.append(f"- and {len(other_moves) - len(shown_moves)} more tags move between entries")
    changed = change.entries_changed if limit is None else change.entries_changed[:limit]
    for entry_change in changed:
        lines += _entry_lines(entry_change, limit)
    if len(changed) < len(change.entries_changed):
        lines.append(f"- and {len(change.entries_changed) - len(changed)} more changed entries")
    for label, entries in (("Added", change.entries_added), ("Removed", change.entries_removed)):
        shown = entries if limit is None else entries[:limit]
        for entry in shown:
            lines.append(f"- {label} entry {_names(entry)} on {', '.join(entry.architectures)}")
        if len(shown) < len(entries):
            lines.append(f"- and {len(entries) - len(shown)} more {label.lower()} entries")
    if change.maintainers_added:
        lines.append("- Maintainers added: " + ", ".join(_code(m) for m in change.maintainers_added))
    if change.maintainers_removed:
        lines.append("- Maintainers removed: " + ", ".join(_code(m) for m in change.maintainers_removed))
    return lines


def fit_lines(lines: Sequence[str], budget: int, more: str) -> str:
    """`lines` joined, or as many whole lines as fit in `budget` characters followed by `more`
    (formatted with the number left out); never a cut line."""
    text = "\n".join(lines)
    if len(text) <= budget:
        return text
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        tail = more.format(len(lines) - index)
        if used + len(line) + 1 + len(tail) > budget:
            return "\n".join([*kept, tail])
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept)


def changes_markdown(changes: Sequence[LibraryChange], budget: int = MAX_MARKDOWN) -> str:
    """The change at a glance, in at most `budget` characters: in full if it fits, else shorter lists,
    else one line per image."""
    shown = [c for c in changes if c.status != "unchanged"] or list(changes)
    for detail in (2, 1):
        text = "\n\n".join("\n".join(_image_lines(c, detail)) for c in shown)
        if len(text) <= budget:
            return text
    lines = [line for c in shown for line in _image_lines(c, 0)]
    return fit_lines(lines, budget, "- and {} more images")

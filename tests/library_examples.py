"""A small library file in the official images' style, and mutated real ones, for the library-file and
review tests."""

from pathlib import Path

from hypothesis import strategies as st

SHA = "0123456789abcdef0123456789abcdef01234567"
SHA2 = "89abcdef0123456789abcdef0123456789abcdef"

GOOD = f"""# this file is generated via https://github.com/example/app/blob/{SHA}/generate-stackbrew-library.sh

Maintainers: Jane Doe <jane@example.com> (@jane)
GitRepo: https://github.com/example/app.git

Tags: 1.2.3, 1.2, 1, latest
Architectures: amd64, arm64v8
GitCommit: {SHA}
Directory: 1

Tags: 0.9.1, 0.9, 0
GitCommit: {SHA}
Directory: 0
"""


def _corpus_texts() -> list[str]:
    root = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "official-images" / "library"
    if not root.is_dir():
        return [GOOD]
    return [p.read_text() for p in sorted(root.iterdir())[::12]]


_REAL = _corpus_texts()


@st.composite
def mutated_real_file(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(_REAL)).split("\n")
    for _ in range(draw(st.integers(1, 6))):
        index = draw(st.integers(0, max(0, len(lines) - 1)))
        action = draw(st.sampled_from(["delete", "duplicate", "blank", "garble", "indent", "insert"]))
        if action == "delete" and lines:
            del lines[index]
        elif action == "duplicate" and lines:
            lines.insert(index, lines[index])
        elif action == "blank":
            lines.insert(index, draw(st.sampled_from(["", " ", "\t", "#"])))
        elif action == "garble" and lines:
            lines[index] = lines[index][: draw(st.integers(0, 40))] + draw(st.text(max_size=8))
        elif action == "indent" and lines:
            lines[index] = " " + lines[index]
        else:
            lines.insert(index, draw(st.text(max_size=30)))
    return "\n".join(lines)

"""The README's example checklist is what the bot really renders."""

from __future__ import annotations

from pathlib import Path

from bot.gatekeeper.checklist import MARKER, Approval, ChecklistFacts, render_checklist
from bot.gatekeeper.decision import PENDING
from bot.gatekeeper.license import UpstreamLicense
from bot.gatekeeper.settings import Team

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_matches_the_rendering():
    team = Team("docker-library", "maintainers")
    body = render_checklist(
        ChecklistFacts(
            image="foo",
            decision=PENDING,
            gatekeepers=team,
            maintainers=team,
            approvals_needed=2,
            approvals=(Approval("tianon", True), Approval("fan", False)),
            git_repos=("https://github.com/foo-project/foo-docker.git",),
            upstream="foo-project/foo",
            license=UpstreamLicense("foo-project/foo", "Apache-2.0", "Apache License 2.0"),
            docs="docker-library/docs#2500",
            base_images=("debian:bookworm-slim",),
            check="success",
        )
    )
    example = (
        README.read_text().split("### Example checklist comment\n\n```markdown\n", 1)[1].split("```", 1)[0]
    )
    assert body.removeprefix(MARKER + "\n") == example

"""Every D rule: a failing example with the exact line, and a passing one in the official images' style."""

from __future__ import annotations

import pytest

from rules.dockerfile.check import check_dockerfile_text
from rules.dockerfile.context import DockerfileContext
from rules.findings import Finding, Severity

PINS = frozenset({"mcr.microsoft.com/windows/servercore:ltsc2022", "redhat/ubi9:latest"})
FPR = "C93DBAD7CABBD35EABF5494AD0DD0609EBDB751E"
SHA = "c6bb02cac33f72bc3000462d7e7e7c4592a9f539f26b30f2b84b2070edf666d8"


def check(text: str, pins: frozenset[str] | None = PINS) -> list[Finding]:
    return check_dockerfile_text(text, DockerfileContext("Dockerfile", pins))


def hits(text: str, rule: str, pins: frozenset[str] | None = PINS) -> list[tuple[int | None, Severity]]:
    return [(f.line, f.severity) for f in check(text, pins) if f.rule == rule]


def lines(text: str, rule: str) -> list[int | None]:
    return [line for line, _ in hits(text, rule)]


def run(*commands: str, base: str = "debian:bookworm-slim") -> str:
    body = " \\\n\t".join(commands)
    return f'FROM {base}\nRUN set -eux; \\\n\t{body}\nCMD ["x"]\n'


# DOI-D001 / D030 ------------------------------------------------------------------------------------


def test_unverified_download_points_at_the_download_line() -> None:
    text = run("apt-get update;", 'curl -fsSL -o app.tgz "https://example.org/app.tgz";', "tar -xzf app.tgz")
    assert hits(text, "DOI-D001") == [(4, Severity.ERROR)]


def test_download_verified_by_sha256_or_signature_passes() -> None:
    assert lines(run('curl -fo a.tgz "$URL";', f'echo "{SHA} *a.tgz" | sha256sum -c -'), "DOI-D001") == []
    assert (
        lines(run('wget -O a.tgz "$URL";', 'wget -O a.asc "$URL.asc";', "gpgv a.asc a.tgz"), "DOI-D001") == []
    )
    text = run('wget -O a.tgz "$URL";', 'test "$(openssl sha512 -r a.tgz)" = "$SUM"')
    assert lines(text, "DOI-D001") == []


def test_verification_in_another_language_counts() -> None:
    php = run(
        "curl -fo /tmp/installer.php https://example.org/installer;",
        "php -r \"if (hash_file('sha384', '/tmp/installer.php') !== getenv('SUM')) { exit(1); }\"",
    )
    assert lines(php, "DOI-D001") == []


def test_a_key_loop_whose_body_imports_nothing_is_not_about_keys() -> None:
    text = run("for sum in deadbeef 12345678; do echo $sum; done;", "gpg --batch --list-keys")
    assert lines(text, "DOI-D002") == []


def test_json_form_run_through_a_shell_is_read_as_its_script() -> None:
    text = 'FROM debian:bookworm\nRUN ["/bin/sh", "-ec", "curl -fo a https://example.org/a; tar -xf a"]\n'
    assert lines(text, "DOI-D001") == [2]


def test_a_download_in_a_case_arm_is_found() -> None:
    text = run('case "$arch" in \\\n\t\tamd64) wget -O a.tgz "$URL" ;; \\\n\tesac')
    assert lines(text, "DOI-D001") == [4]


def test_package_names_curl_and_wget_are_not_downloads() -> None:
    text = run("apt-get update;", "apt-get install -y curl wget;", "rm -rf /var/lib/apt/lists/*")
    assert check(text) == []


def test_powershell_download_needs_get_filehash() -> None:
    head = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\n'
    bad = (
        head
        + "RUN Invoke-WebRequest -Uri $url -OutFile 'a.zip'; \\\n"
        + "\tExpand-Archive a.zip -DestinationPath C:\\\n"
    )
    good = bad.replace(
        "Expand-Archive",
        "if ((Get-FileHash a.zip -Algorithm sha256).Hash -ne $env:SHA) { exit 1 }; Expand-Archive",
    )
    assert hits(bad, "DOI-D001") == [(3, Severity.ERROR)]
    assert hits(good, "DOI-D001") == []


def test_raw_file_at_a_fixed_revision_is_information_and_on_a_branch_a_warning() -> None:
    at_variable = run(
        'curl -fL -o passwd "https://gitlab.example.org/skel/-/raw/$VERSION/etc/passwd";', "true"
    )
    assert hits(at_variable, "DOI-D001") == [(3, Severity.INFO)]
    commit = "33ae08ff08d168572df2956ed14fbc4949880d94"
    at_commit = run(
        f'wget -O /etc/app.conf "https://github.com/app/dist/raw/{commit}/config/app.conf";',
        f'wget -O /srv/index.html "https://raw.githubusercontent.com/app/dist/{commit}/index.html"',
    )
    assert hits(at_commit, "DOI-D001") == [(3, Severity.INFO)]
    at_tag = run('curl -fL -o group "https://git.example.org/skel/plain/etc/group?id=2024.02.1"')
    assert hits(at_tag, "DOI-D001") == [(3, Severity.INFO)]
    on_branch = run('curl -fL -o get.sh "https://raw.githubusercontent.com/app/tools/main/get.sh"')
    assert hits(on_branch, "DOI-D001") == [(3, Severity.WARNING)]
    mixed = run(
        f'wget -O a.conf "https://github.com/app/dist/raw/{commit}/a.conf";', 'wget -O b.tgz "$B_URL"'
    )
    assert hits(mixed, "DOI-D001") == [(3, Severity.ERROR)]


def test_a_verifier_installed_as_a_package_does_not_verify() -> None:
    text = run(
        "apt-get install -y --no-install-recommends gpgv minisign;",
        'curl -fsSL -o app.tgz "https://example.org/app.tgz"',
    )
    assert lines(text, "DOI-D001") == [4]
    used = run('curl -fsSL -o app.tgz "https://example.org/app.tgz";', 'minisign -Vm app.tgz -P "$PUBKEY"')
    assert lines(used, "DOI-D001") == []


def test_downloaded_keys_narrowed_to_a_fingerprint_are_verified() -> None:
    fetch = "curl -fL -o keys.asc https://example.org/repo/keys.asc;"
    text = run(
        fetch, "gpg --batch --import keys.asc;", 'gpg --batch --export "$KEY" > /usr/share/keyrings/x.gpg'
    )
    assert lines(text, "DOI-D001") == []
    literal = run(fetch, "gpg --batch --import keys.asc;", f"gpg --batch --export --armor {FPR} > x.asc")
    assert lines(literal, "DOI-D001") == []
    spaced = "'CACB 9FE0 9150 307D 1D22  D829 6275 4C3B 3ABC FE23'"
    piped = run(
        "curl -fSL https://example.org/repo.key | gpg --batch --import;",
        f"gpg --batch --export --armor {spaced} > /etc/apt/trusted.gpg.d/x.asc",
    )
    assert lines(piped, "DOI-D001") == []
    everything = run(
        fetch, "gpg --batch --import keys.asc;", "gpg --batch --export > /usr/share/keyrings/x.gpg"
    )
    assert lines(everything, "DOI-D001") == [3]


def test_a_cmd_download_from_a_variable_is_a_download() -> None:
    base = '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["cmd", "/S", "/C"]\n'
    unverified = base + "RUN curl.exe -fsSL -o C:\\x.zip %X_URL% `\n    && tar -xf C:\\x.zip\n"
    assert hits(unverified, "DOI-D001") == [(4, Severity.ERROR)]
    verified = base + (
        "RUN curl.exe -fsSL -o C:\\x.zip %X_URL% `\n"
        "    && certutil -hashfile C:\\x.zip SHA256 | findstr /i %X_SHA256%\n"
    )
    assert hits(verified, "DOI-D001") == []


def test_requests_that_keep_no_body_are_not_downloads() -> None:
    text = run(
        'wget --spider "https://example.org/";',
        'curl -fsSI "https://example.org/";',
        'curl --head "$MIRROR";',
        'curl -fsS -o /dev/null "https://example.org/ping"',
    )
    assert lines(text, "DOI-D001") == []
    logged = run('wget -o /dev/null -O app.tgz "https://example.org/a.tgz"')
    assert lines(logged, "DOI-D001") == [3]
    assert lines(run('curl -fsSL -o app.tgz "https://example.org/a.tgz"'), "DOI-D001") == [3]


def test_every_spelling_of_a_strong_shasum_verifies() -> None:
    for check_line in (
        'echo "$S  a.tgz" | shasum -a 256 -c',
        'echo "$S  a.tgz" | shasum -a256 -c',
        'echo "$S  a.tgz" | shasum --algorithm 512 -c',
        "printf '%s  %s\\n' \"$S\" a.tgz | sha256sum -c -",
        "sha512sum --strict --check a.tgz.sha512",
        "gpgv --keyring ./upstream.gpg a.tgz.asc a.tgz",
        "gpg1 --batch --verify a.tgz.asc a.tgz",
        '[ "$(openssl dgst -r -sha512 a.tgz)" = "$S *a.tgz" ]',
        "rpmkeys --checksig a.tgz",
    ):
        text = run('wget -O a.tgz "https://example.org/a.tgz";', check_line)
        assert hits(text, "DOI-D001") == [] and hits(text, "DOI-D030") == [], check_line


def test_md5_or_sha1_only_is_information() -> None:
    text = run('curl -o a.tgz "$URL";', 'echo "$SHA1 *a.tgz" | sha1sum -c -')
    assert hits(text, "DOI-D030") == [(4, Severity.INFO)]
    assert hits(text, "DOI-D001") == []
    both = run(
        'curl -o a.tgz "$URL";', 'echo "$SHA1 *a.tgz" | sha1sum -c -;', 'echo "$S *a.tgz" | sha256sum -c -'
    )
    assert hits(both, "DOI-D030") == []


def test_a_heredoc_script_is_read_as_the_shell_reads_it() -> None:
    packages = (
        "FROM debian:bookworm\nRUN <<EOF\nset -eux\napt-get update\n"
        "apt-get install -y --no-install-recommends \\\n"
        "    curl \\\n    gpg \\\n    sudo \\\n    wget\n# wget https://example.org/a (a comment)\n"
        "rm -rf /var/lib/apt/lists/*\nEOF\n"
    )
    assert [(f.rule, f.line) for f in check(packages)] == []
    verify = (
        "FROM debian:bookworm\nRUN <<EOF\nset -eux\ncurl -fo a.tgz https://example.org/a.tgz\n"
        "curl -fo a.tgz.asc https://example.org/a.tgz.asc\n"
        "gpg --batch \\\n    --verify a.tgz.asc a.tgz\nEOF\n"
    )
    assert lines(verify, "DOI-D001") == []
    assert lines(verify.replace("--verify", "--list-packets"), "DOI-D001") == [4]


def test_heredoc_download_points_into_the_body() -> None:
    text = "FROM debian:bookworm\nRUN <<EOF\nset -eux\ncurl -fo a https://example.org/a\nEOF\n"
    assert lines(text, "DOI-D001") == [4]
    not_shell = "FROM debian:bookworm\nRUN python3 <<EOF\nprint('curl -fo a https://example.org/a')\nEOF\n"
    assert lines(not_shell, "DOI-D001") == []


# DOI-D002 / D011 / D012 -----------------------------------------------------------------------------


def test_short_key_ids_are_errors_on_their_line() -> None:
    text = run(
        'export GNUPGHOME="$(mktemp -d)";',
        "gpg --batch --keyserver keys.openpgp.org --recv-keys \\\n\t\t0xA8D3785C;",
    )
    assert hits(text, "DOI-D002") == [(5, Severity.ERROR)]
    loop = run('for key in B7B3B788A8D3785C; do \\\n\t\tgpg --batch --recv-keys "$key"; \\\n\tdone')
    assert lines(loop, "DOI-D002") == [3]
    variable = run("key='A8D3785C';", 'gpg --batch --keyserver keyserver.ubuntu.com --recv-keys "$key"')
    assert lines(variable, "DOI-D002") == [3]
    env = "FROM debian:bookworm\nENV GPG_KEYS 0x12345678 " + FPR + '\nCMD ["x"]\n'
    assert lines(env, "DOI-D002") == [2]


def test_numbers_in_key_variables_are_not_key_ids_but_digits_in_recv_keys_are() -> None:
    env = "FROM debian:bookworm\nENV GPG_KEYS_UPDATED 20240101\nARG PGP_KEY_SERIAL=1234567890123456\n"
    assert lines(env, "DOI-D002") == []
    recv = run("gpg --batch --keyserver keyserver.ubuntu.com --recv-keys 12345678")
    assert lines(recv, "DOI-D002") == [3]


def test_gpg1_is_checked_like_gpg() -> None:
    text = run("gpg1 --keyserver hkp://keyserver.ubuntu.com:80 --recv-keys 0xA8D3785C")
    assert hits(text, "DOI-D011") == [(3, Severity.WARNING)]
    assert hits(text, "DOI-D002") == [(3, Severity.ERROR)]


def test_full_fingerprints_pass_even_when_spaced() -> None:
    spaced = "'EB4C 1BFD 4F04 2F6D DDCC  EC91 7721 F63B D38B 4796'"
    text = run(
        f"gpg --batch --keyserver keyserver.ubuntu.com --recv-keys {spaced};",
        f"gpg --batch --recv-keys {FPR}",
    )
    assert check(text) == []
    keyring = run(f"gpg --batch --keyring=/etc/apt/keyrings/deadbeef.gpg --recv-keys {FPR}")
    assert check(keyring) == []
    env = f"FROM debian:bookworm\nENV GPG_KEYS {FPR} 0x{FPR}\nENV PGP_KEYSERVER keyserver.ubuntu.com\n"
    assert check(env) == []


def test_gpg_without_batch_is_a_warning_but_paths_named_gpg_are_not_gpg() -> None:
    text = run(f"gpg --recv-keys {FPR};", "gpg --batch --verify a.asc a")
    assert hits(text, "DOI-D011") == [(3, Severity.WARNING)]
    paths = run("gpg --batch --export > /etc/apt/keyrings/x.gpg;", "ls /usr/share/keyrings/x.gpg")
    assert hits(paths, "DOI-D011") == []


def test_keyserver_outside_the_two_recommended_is_a_warning() -> None:
    text = run(f"gpg --batch --keyserver hkp://pool.sks-keyservers.net --recv-keys {FPR}")
    assert lines(text, "DOI-D012") == [3]
    good = run(f"gpg --batch --keyserver hkps://keys.openpgp.org:443 --recv-keys {FPR}")
    assert lines(good, "DOI-D012") == []
    env = 'FROM debian:bookworm\nARG PGP_KEYSERVER=pgp.mit.edu\nCMD ["x"]\n'
    assert lines(env, "DOI-D012") == [2]


# DOI-D003 / D020 -----------------------------------------------------------------------------------


def test_base_images_must_be_official_scratch_or_pinned() -> None:
    text = 'FROM someone/base:1.0\nCOPY --from=ghcr.io/x/y:1 /a /a\nCMD ["x"]\n'
    assert hits(text, "DOI-D003") == [(1, Severity.ERROR), (2, Severity.ERROR)]
    ok = (
        "FROM debian:bookworm AS a\nFROM arm64v8/debian:bookworm\nFROM redhat/ubi9:latest\n"
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nFROM scratch\nCOPY --from=a /x /x\n"
        'COPY --from=composer:2 /c /c\nCMD ["x"]\n'
    )
    assert hits(ok, "DOI-D003") == []


def test_without_pins_an_external_base_is_only_information() -> None:
    text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ["x"]\n'
    assert hits(text, "DOI-D003", pins=None) == [(1, Severity.INFO)]


def test_untagged_or_latest_base_is_a_warning() -> None:
    text = "FROM debian\nFROM debian:latest\nFROM debian@sha256:" + "a" * 64 + '\nCMD ["x"]\n'
    assert hits(text, "DOI-D020") == [(1, Severity.WARNING), (2, Severity.WARNING)]
    assert hits('FROM redhat/ubi9:latest\nCMD ["x"]\n', "DOI-D020") == []


# DOI-D010 / D032 -----------------------------------------------------------------------------------


def test_sudo_is_a_warning_on_its_line() -> None:
    assert lines(run("true;", "sudo make install"), "DOI-D010") == [4]
    assert lines(run("gosu nobody true;", "echo 'no sudo here'"), "DOI-D010") == []


def test_uname_m_is_information_in_sh_only() -> None:
    assert hits(run('arch="$(uname -m)"'), "DOI-D032") == [(3, Severity.INFO)]
    assert lines(run('arch="$(dpkg --print-architecture)"'), "DOI-D032") == []


# DOI-D014 / D015 -----------------------------------------------------------------------------------


def test_apt_lists_must_go_in_the_same_run_of_the_final_stage() -> None:
    text = run("apt-get update;", "apt-get install -y --no-install-recommends ca-certificates")
    assert hits(text, "DOI-D014") == [(4, Severity.WARNING)]
    cleaned = run("apt-get install --update -y ca-certificates;", "apt-get dist-clean")
    assert lines(cleaned, "DOI-D014") == []
    builder = (
        "FROM debian:bookworm AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian:bookworm\n"
    )
    assert lines(builder, "DOI-D014") == []


def test_upgrades_are_warnings() -> None:
    assert lines(run("apt-get update;", "apt-get -y dist-upgrade;", "apt-get dist-clean"), "DOI-D015") == [4]
    assert lines(run("apk upgrade --no-cache"), "DOI-D015") == [3]
    assert lines(run("apt-get install -y --only-upgrade tzdata;", "apt-get dist-clean"), "DOI-D015") == []


# DOI-D013 / D017 -----------------------------------------------------------------------------------


def test_http_download_is_a_warning_unless_verified_and_signed_apt_sources_are_fine() -> None:
    text = run("curl -fo a.tgz http://example.org/a.tgz;", f"echo '{SHA} *a.tgz' | sha256sum -c -")
    assert hits(text, "DOI-D013") == [(3, Severity.INFO)]
    unverified = run("curl -fo a.tgz http://example.org/a.tgz;", "tar -xzf a.tgz")
    assert hits(unverified, "DOI-D013") == [(3, Severity.WARNING)]
    sha1 = run("curl -fo a.deb http://nightly.example.org/a.deb;", 'echo "$SHA1 a.deb" | sha1sum -c -')
    assert hits(sha1, "DOI-D013") == [(3, Severity.INFO)]
    apt = run(
        "echo 'deb [ signed-by=/etc/apt/keyrings/x.asc ] http://apt.example.org bookworm main' > x.list"
    )
    assert lines(apt, "DOI-D013") == []
    env = (
        "FROM debian:bookworm\nENV APP_URL http://example.org/a.tgz\n"
        + run('curl -fo a.tgz "$APP_URL";', f"echo '{SHA} *a.tgz' | sha256sum -c -").split("\n", 1)[1]
    )
    assert hits(env, "DOI-D013") == [(2, Severity.INFO)]
    env_unverified = env.replace(f"echo '{SHA} *a.tgz' | sha256sum -c -", "tar -xzf a.tgz")
    assert hits(env_unverified, "DOI-D013") == [(2, Severity.WARNING)]


def test_remote_add_needs_a_checksum() -> None:
    assert lines('FROM debian:bookworm\nADD https://example.org/a.tgz /a.tgz\nCMD ["x"]\n', "DOI-D017") == [2]
    ok = (
        "FROM debian:bookworm\nADD --checksum=sha256:"
        + SHA
        + " https://example.org/a.tgz /a.tgz\nADD rootfs.tar.gz /\n"
    )
    assert lines(ok, "DOI-D017") == []


# DOI-D016 / D018 / D019 / D023 / D031 --------------------------------------------------------------


def test_instruction_forms() -> None:
    text = (
        "FROM debian:bookworm\nMAINTAINER someone\nHEALTHCHECK CMD true\nCOPY . /app\n"
        'ENTRYPOINT /entrypoint.sh\nCMD ["a"]\nCMD ["b"]\n'
    )
    found = {(f.rule, f.line, f.severity) for f in check(text)}
    assert found == {
        ("DOI-D019", 2, Severity.WARNING),
        ("DOI-D018", 3, Severity.WARNING),
        ("DOI-D031", 4, Severity.INFO),
        ("DOI-D016", 5, Severity.WARNING),
        ("DOI-D023", 6, Severity.WARNING),
    }
    good = (
        "FROM debian:bookworm\nHEALTHCHECK NONE\nCOPY docker-entrypoint.sh /usr/local/bin/\n"
        'ENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["b"]\nFROM debian:bookworm\nCMD ["c"]\n'
    )
    assert check(good) == []


# DOI-D021 / D022 / D033 ----------------------------------------------------------------------------


def test_stage_references() -> None:
    text = (
        "FROM debian:bookworm AS build\nCOPY --from=later /a /a\nCOPY --from=7 /b /b\n"
        'FROM debian:bookworm AS build\nFROM debian:bookworm AS later\nCOPY --from=later /c /c\nCMD ["x"]\n'
    )
    found = [(f.rule, f.line) for f in check(text) if f.rule in ("DOI-D021", "DOI-D022", "DOI-D033")]
    assert sorted(found) == [
        ("DOI-D021", 4),
        ("DOI-D022", 2),
        ("DOI-D022", 3),
        ("DOI-D022", 6),
        ("DOI-D033", 5),
    ]
    good = (
        'FROM debian:bookworm AS build\nRUN true\nFROM debian:bookworm\nCOPY --from=build /a /a\nCMD ["x"]\n'
    )
    assert check(good) == []


# Shells and misreads ---------------------------------------------------------------------------------


def test_powershell_and_cmd_stages_get_no_sh_rules() -> None:
    text = (
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
        'SHELL ["powershell", "-Command"]\n'
        "ENV X 1\n"
        "RUN sudo apt-get install x; $a = (uname -m)\n"
        'CMD ["powershell"]\n'
    )
    assert check(text) == []


def test_unresolvable_from_gives_one_note_and_no_base_finding() -> None:
    found = check('ARG BASE\nFROM ${BASE}\nCMD ["x"]\n')
    assert [(f.rule, f.line, f.severity) for f in found] == [("DOI-D040", 2, Severity.INFO)]


def test_a_template_is_one_note_and_nothing_else() -> None:
    text = (
        "FROM {{ env.variant }}\n"
        '{{ if env.version == "1" then ( -}}\n'
        "RUN curl -fo a https://x/a\n"
        '{{ ) else "" end -}}\n'
    )
    assert [(f.rule, f.line) for f in check(text)] == [("DOI-D040", 2)]
    go_template = run("docker inspect --format '{{ .Id }}' x")
    assert check(go_template) == []


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\ufeff"])
def test_a_dockerfile_with_nothing_to_build_is_one_error(text: str) -> None:
    # docker build rejects an empty Dockerfile; the contract makes empty content a finding
    assert [(f.rule, f.line) for f in check(text)] == [("DOI-D004", None)]


def test_a_dockerfile_without_from_is_an_error_on_its_first_instruction() -> None:
    assert [(f.rule, f.line) for f in check("# c\nARG X=1\nRUN true\n")] == [("DOI-D004", 2)]
    assert [f.rule for f in check('ARG X=1\nFROM debian:bookworm\nCMD ["true"]\n')] == []


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("FROM debian:bookworm\nFROOM x\n", 2),  # unknown instruction
        ("FROM\n", 1),  # no image
        ("FROM debian:bookworm AS\n", 1),  # AS without a name
        ("FROM debian:bookworm builder\n", 1),
    ],
)
def test_an_instruction_docker_build_rejects_is_an_error(text: str, line: int) -> None:
    assert ("DOI-D005", line) in [(f.rule, f.line) for f in check(text)]


def test_instructions_docker_build_reads_are_not_flagged() -> None:
    text = 'FROM --platform=$BUILDPLATFORM debian:bookworm AS build\nonbuild RUN true\nCMD ["true"]\n'
    assert "DOI-D005" not in [f.rule for f in check(text)]

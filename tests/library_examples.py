"""A small library file in the official images' style, shared by the library-file and review tests."""

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

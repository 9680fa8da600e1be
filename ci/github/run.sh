#!/usr/bin/env bash
# The GitHub Action's main step: one privdiff run that writes every output the action needs (the
# JSON report, SARIF, annotations, the step summary, the step's outputs) and posts or updates the
# pull-request comment, then fails the step when the gate says so.
#
# Environment: the INPUT_* variables set by action.yml, GITHUB_TOKEN, and the runner's GITHUB_*
# and RUNNER_TEMP. The working directory is the workspace, so locations are repository paths.
set -euo pipefail

fail() {
  echo "::error title=privdiff::$1"
  exit 2
}

privdiff="${PRIVDIFF_BIN:-privdiff}"
out="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/privdiff"
mkdir -p "$out"
# Outputs of an earlier run in the same job must not pass for this one's.
rm -f "$out/report.json" "$out/annotations.txt"
workdir="${INPUT_WORKING_DIRECTORY:-.}"
[ -d "$workdir" ] || fail "working-directory '$workdir' is not a directory"

plan_json="${INPUT_PLAN_JSON:-}"
if [ -z "$plan_json" ]; then
  [ -n "${INPUT_PLAN_FILE:-}" ] || fail "set either 'plan-json', or 'plan-file' (with 'working-directory')"
  tool="${INPUT_TERRAFORM_BINARY:-}"
  if [ -z "$tool" ]; then
    for candidate in terraform tofu; do
      if command -v "$candidate" >/dev/null; then
        tool="$candidate"
        break
      fi
    done
  fi
  [ -n "$tool" ] || fail "neither terraform nor tofu is on PATH to read '$INPUT_PLAN_FILE'; set up one of them, or give 'plan-json'"
  plan_json="$out/plan.json"
  (cd "$workdir" && "$tool" show -json "$INPUT_PLAN_FILE") >"$plan_json" ||
    fail "'$tool show -json $INPUT_PLAN_FILE' failed in $workdir"
fi

args=("$plan_json"
  --source-dir "$workdir"
  --output "json=$out/report.json"
  --output "github=$out/annotations.txt"
  --step-summary
  --github-output)
# Unset, privdiff's own default applies: the `fail_on` of .privdiff.hcl, else `high`.
if [ -n "${INPUT_FAIL_ON:-}" ]; then
  args+=(--fail-on "$INPUT_FAIL_ON")
fi
if [ -n "${INPUT_GCP_ROLES:-}" ]; then
  args+=(--gcp-roles "$INPUT_GCP_ROLES")
fi
if [ -n "${INPUT_AZURE_ROLES:-}" ]; then
  args+=(--azure-roles "$INPUT_AZURE_ROLES")
fi
if [ -n "${INPUT_PRINCIPAL_NAMES:-}" ]; then
  args+=(--principal-names "$INPUT_PRINCIPAL_NAMES")
fi
# Rule codes link to their pages: the given address, else docs/rules of the action's own
# repository at the ref the workflow uses, so the page matches the privdiff that ran. The
# expressions are empty in some runners' composite steps; the action's path says it too
# (`uses: OWNER/REPO@REF` runs from .../_actions/OWNER/REPO/REF). A local action has neither,
# and its codes stay plain text.
rules_url="${INPUT_RULES_URL:-}"
if [ -z "$rules_url" ]; then
  repository="${PRIVDIFF_ACTION_REPOSITORY:-}"
  ref="${PRIVDIFF_ACTION_REF:-}"
  if [ -z "$repository" ] || [ -z "$ref" ]; then
    case "${GITHUB_ACTION_PATH:-}" in
      */_actions/*/*/*)
        rest="${GITHUB_ACTION_PATH#*/_actions/}"
        repository="$(echo "$rest" | cut -d / -f 1-2)"
        ref="$(echo "$rest" | cut -d / -f 3-)"
        ;;
    esac
  fi
  # Only what a link can hold as it is: a derived address must never stop the run.
  server="${GITHUB_SERVER_URL:-https://github.com}"
  if [[ "$server" =~ ^https?://[A-Za-z0-9.:-]+$ &&
    "$repository" =~ ^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+$ &&
    "$ref" =~ ^[A-Za-z0-9._/+-]+$ ]]; then
    rules_url="$server/$repository/blob/$ref/docs/rules"
  fi
fi
if [ -n "$rules_url" ]; then
  args+=(--rules-url "$rules_url")
fi
if [ -n "${INPUT_SARIF_FILE:-}" ]; then
  # A SARIF file committed in the pull request must not be uploaded if this run fails.
  rm -f "$INPUT_SARIF_FILE"
  mkdir -p "$(dirname "$INPUT_SARIF_FILE")"
  args+=(--output "sarif=$INPUT_SARIF_FILE")
fi

command=(analyze --format table --color never)
if [ "${INPUT_COMMENT:-true}" = "true" ]; then
  case "${GITHUB_EVENT_NAME:-}" in
    pull_request | pull_request_target)
      command=(comment github --key "${INPUT_COMMENT_KEY:-default}" --behavior "${INPUT_COMMENT_BEHAVIOR:-update}")
      if [ "${INPUT_SKIP_IF_NO_CHANGES:-false}" = "true" ]; then
        command+=(--skip-if-no-changes)
      fi
      ;;
    *)
      echo "::notice title=privdiff::not a pull_request event (${GITHUB_EVENT_NAME:-none}), so no comment is posted"
      ;;
  esac
fi

# The table quotes names from the plan, which the pull request's author wrote: the runner must
# not read a line of it as a workflow command. Only privdiff's own annotations, printed after
# commands are resumed, are commands.
resume="privdiff-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
echo "::stop-commands::$resume"
status=0
"$privdiff" "${command[@]}" "${args[@]}" || status=$?
echo "::$resume::"
echo "report-json=$out/report.json" >>"${GITHUB_OUTPUT:-/dev/null}"
if [ "${INPUT_ANNOTATIONS:-true}" = "true" ] && [ -f "$out/annotations.txt" ]; then
  cat "$out/annotations.txt"
fi
case "$status" in
  0) ;;
  1)
    echo "::error title=privdiff::the gate failed (fail-on: ${INPUT_FAIL_ON:-.privdiff.hcl, else high}); see the report above or the pull-request comment"
    exit 1
    ;;
  *) exit "$status" ;;
esac

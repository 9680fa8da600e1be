#!/usr/bin/env bash
# Installs privdiff for the GitHub Action: the release binary of PRIVDIFF_VERSION, or, when no
# version is given, a build of the action's own source. A privdiff of the wanted version already
# on PATH (a self-hosted runner's, or a cached one) is used as it is.
#
# Environment: PRIVDIFF_VERSION (`0.1.0` or `v0.1.0`; empty = build from source),
# PRIVDIFF_REPOSITORY (owner/name whose GitHub releases hold the binaries; by default the
# action's own, from github.action_repository or else GITHUB_ACTION_PATH),
# PRIVDIFF_RELEASES_URL (overrides https://github.com/$PRIVDIFF_REPOSITORY/releases/download),
# GITHUB_ACTION_PATH, RUNNER_TEMP, GITHUB_PATH, GITHUB_ENV.
set -euo pipefail

fail() {
  echo "::error title=privdiff::$1"
  exit 1
}

action_dir="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
version="${PRIVDIFF_VERSION#v}"
if [ -z "$version" ]; then
  wanted="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action_dir/Cargo.toml" | head -n 1)"
else
  wanted="$version"
fi
case "$wanted" in
  *[!0-9A-Za-z.+-]* | "") fail "not a privdiff version: '$wanted'" ;;
esac

publish() {
  # Later steps of the action find privdiff through PRIVDIFF_BIN, and the job's later steps on PATH.
  echo "PRIVDIFF_BIN=$1/privdiff" >>"${GITHUB_ENV:-/dev/null}"
  echo "$1" >>"${GITHUB_PATH:-/dev/null}"
  echo "privdiff $wanted: $1/privdiff"
}

# `-V` prints exactly `privdiff X.Y.Z`; `--version` goes on to list the embedded data's sources.
if existing="$(command -v privdiff 2>/dev/null)" &&
  [ "$("$existing" -V 2>/dev/null)" = "privdiff $wanted" ]; then
  publish "$(dirname "$existing")"
  exit 0
fi

root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/privdiff-$wanted"
if [ -x "$root/bin/privdiff" ] && [ "$("$root/bin/privdiff" -V)" = "privdiff $wanted" ]; then
  publish "$root/bin"
  exit 0
fi

if [ -z "$version" ]; then
  command -v cargo >/dev/null ||
    fail "cargo not found: set the action's 'version' input to install a release binary, or set up a Rust toolchain first"
  cargo install --locked --quiet --path "$action_dir" --root "$root"
  publish "$root/bin"
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-gnu ;;
  Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-gnu ;;
  Darwin-x86_64) target=x86_64-apple-darwin ;;
  Darwin-arm64) target=aarch64-apple-darwin ;;
  *) fail "no privdiff release binary for $(uname -s) $(uname -m); leave 'version' empty to build from source" ;;
esac
if [ -n "${PRIVDIFF_RELEASES_URL:-}" ]; then
  base="$PRIVDIFF_RELEASES_URL"
else
  repository="${PRIVDIFF_REPOSITORY:-}"
  if [ -z "$repository" ]; then
    # `uses: OWNER/REPO@REF` runs the action from .../_actions/OWNER/REPO/REF.
    case "$action_dir" in
      */_actions/*/*/*)
        repository="${action_dir#*/_actions/}"
        repository="${repository%%/*}/$(echo "$repository" | cut -d / -f 2)"
        ;;
    esac
  fi
  [ -n "$repository" ] ||
    fail "cannot tell which repository's releases hold privdiff (a local action?): leave 'version' empty to build from source"
  base="https://github.com/$repository/releases/download"
fi
asset="privdiff-$target.tar.gz"
download="$(mktemp -d)"
trap 'rm -rf "$download"' EXIT
curl --fail --silent --show-error --location --retry 3 \
  --output "$download/$asset" "$base/v$wanted/$asset" ||
  fail "cannot download $base/v$wanted/$asset"
curl --fail --silent --show-error --location --retry 3 \
  --output "$download/$asset.sha256" "$base/v$wanted/$asset.sha256" ||
  fail "cannot download the checksum $base/v$wanted/$asset.sha256"
expected="$(cut -d ' ' -f 1 <"$download/$asset.sha256")"
if command -v sha256sum >/dev/null; then
  actual="$(sha256sum "$download/$asset" | cut -d ' ' -f 1)"
else
  actual="$(shasum -a 256 "$download/$asset" | cut -d ' ' -f 1)"
fi
[ "$expected" = "$actual" ] || fail "checksum mismatch for $asset: expected $expected, got $actual"
mkdir -p "$root/bin"
tar -xzf "$download/$asset" -C "$root/bin" privdiff
[ "$("$root/bin/privdiff" -V)" = "privdiff $wanted" ] ||
  fail "the downloaded binary is not privdiff $wanted"
publish "$root/bin"

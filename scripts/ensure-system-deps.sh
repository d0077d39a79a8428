#!/usr/bin/env bash
# What `npm test` needs beyond npm packages: shellcheck (runbook lint), AWS CLI v2 at /usr/bin/aws (runbook
# lint checks every `aws` command's syntax) and Debian's chromium (playground browser tests). Installs the
# missing ones with apt when it can (root on Debian/Ubuntu); otherwise names them and fails.
set -euo pipefail
missing=()
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
if ! /usr/bin/aws --version 2>/dev/null | grep -q '^aws-cli/2'; then missing+=(awscli); fi
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages the tests need: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "The tests need these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

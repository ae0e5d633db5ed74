#!/usr/bin/env bash
# Installs Otklik's build and test dependencies from Debian 12 packages.
#   scripts/setup-deps.sh          everything: the build, the test suite and the benchmarks
#   scripts/setup-deps.sh --demo   only what building the daemon needs (README command 1)
# Idempotent: packages already present are skipped; safe to run again.
set -euo pipefail

demo=0
case "${1:-}" in
  "") ;;
  --demo) demo=1 ;;
  *) echo "setup-deps: unknown option $1 (--demo or nothing)" >&2; exit 2 ;;
esac

packages=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config git
  # libraries (Boost 1.81, not libboost-all-dev which is 1.74)
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libxml2-dev libsqlite3-dev sqlite3 libspdlog-dev libfmt-dev
  libtomlplusplus-dev libcli11-dev libsystemd-dev libstemmer-dev
  libutf8proc-dev zlib1g-dev ca-certificates
  # the web inbox: argon2id password hashes, random session tokens
  libsodium-dev
  # the PostgreSQL backend of the store (libpq)
  libpq-dev
)
(( demo )) || packages+=(
  # tests (nodejs: the peer benchmark's metric tests, `node --test`)
  catch2 python3 python3-aiosmtpd openssl nodejs
  # the web inbox in a real browser (tests/browser): headless Chromium driven over the DevTools
  # protocol from Python
  chromium python3-websocket
  # the store's PostgreSQL tests: a throwaway PostgreSQL 15 server started by pg_virtualenv
  postgresql postgresql-common
  # benchmarks (peak RSS via /usr/bin/time -v; nginx serves the feeds of bench/daemon/load;
  # valgrind counts a first poll's work in bench/daemon/first_poll_work.sh)
  time nginx valgrind
  # fuzzing the text pipeline (libFuzzer ships with clang)
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

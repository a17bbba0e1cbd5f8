#!/usr/bin/env bash
# Shared helpers for appliance/run, appliance/test and the install kit.
# shellcheck disable=SC2034  # the package lists below are used by the scripts that source this file

# ensure_packages PKG...: installs the Debian packages that are missing (apt-get update first).
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The system libraries the binary links (-dev packages for building).
BUILD_PACKAGES=(libargon2-dev zlib1g-dev libssl-dev libcurl4-openssl-dev pkg-config)

# What the tests run besides the build: gzip/tar read the backups; systemd-analyze, caddy and
# the shell linter check the install kit (appliance/shopify-whatsapp.service, Caddyfile, *.sh);
# chromium + chromium-driver (and a font) run the dashboard and WhatsApp Web browser tests.
TEST_PACKAGES=(gzip tar systemd caddy shellcheck chromium chromium-driver fonts-dejavu-core)

require_swift() {
  command -v swift >/dev/null 2>&1 || { echo "swift is not on PATH: install the Swift 6.x toolchain first" >&2; exit 1; }
}

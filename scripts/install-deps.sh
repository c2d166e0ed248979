#!/usr/bin/env bash
# Installs the Debian packages Lanyard needs to build and test, when they are missing.
set -euo pipefail

packages=(build-essential pkg-config libclang-dev libxml2-dev libxmlsec1-dev libxslt1-dev openssl postgresql python3-aiosmtpd python3-dev python3-venv xmlsec1)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
if ! command -v cargo >/dev/null; then
  echo "cargo is missing: install Rust with rustup (https://rustup.rs); rust-toolchain.toml pins the version." >&2
  exit 1
fi

#!/usr/bin/env bash
# Installs the Debian packages Lanyard needs to build and test, when they are missing.
set -euo pipefail

# fonts-wqy-microhei: a Chinese font, so that the browser tests' screenshots of the Chinese pages show Chinese.
packages=(build-essential pkg-config libclang-dev libxml2-dev libxmlsec1-dev libxslt1-dev nginx openssl postgresql python3-aiosmtpd python3-dev python3-venv xmlsec1 chromium fonts-wqy-microhei)
# The console needs Node >= 20.19 (Vite 8); Debian's nodejs is used only when none is installed
# or the one installed is too old.
node_ok() {
  command -v node >/dev/null && command -v npm >/dev/null &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'
}
node_ok || packages+=(nodejs npm)
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
if ! node_ok; then
  echo "Node.js >= 20.19 is needed for the console (found $(node --version 2>/dev/null || echo none)): install it from nodejs.org or NodeSource." >&2
  exit 1
fi
if ! command -v cargo >/dev/null; then
  echo "cargo is missing: install Rust with rustup (https://rustup.rs); rust-toolchain.toml pins the version." >&2
  exit 1
fi

#!/usr/bin/env bash
# Installs the Debian packages that the real-VS-Code tests need, only when they are missing:
#   chromium     - the browser that playwright-core drives (no browser download is possible here)
#   ripgrep      - code-server's postinstall would fetch rg from GitHub; we copy Debian's instead
#   libkrb5-dev  - headers for the `kerberos` native module that code-server's VS Code rebuilds
#   tinyproxy    - a real HTTP proxy for the proxy tests (test/unit/http/proxy.test.ts)
# CI runs as root; a developer without root gets a clear message naming the command to run.
# Arguments narrow the check to some of them (`npm run demo` needs no Chromium of ours):
#   bash scripts/ensureSystemDeps.sh ripgrep libkrb5-dev
set -euo pipefail

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(chromium ripgrep libkrb5-dev tinyproxy)
missing=()
for pkg in "${wanted[@]}"; do
  case "$pkg" in
    chromium) command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium) ;;
    ripgrep) command -v rg >/dev/null 2>&1 || missing+=(ripgrep) ;;
    # krb5-config ships with libkrb5-dev; the header is what node-gyp needs.
    libkrb5-dev) [ -f /usr/include/gssapi/gssapi.h ] || [ -f /usr/include/krb5.h ] || missing+=(libkrb5-dev) ;;
    tinyproxy) command -v tinyproxy >/dev/null 2>&1 || [ -x /usr/bin/tinyproxy ] || missing+=(tinyproxy) ;;
    *) echo "ERROR: unknown package $pkg (known: chromium ripgrep libkrb5-dev tinyproxy)" >&2; exit 2 ;;
  esac
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "System dependencies present (${wanted[*]})."
  exit 0
fi

echo "Installing missing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo)
else
  echo "ERROR: missing system packages: ${missing[*]}" >&2
  echo "Install them as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ERROR: apt-get not found; install these packages with your system's package manager: ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Wait for a dpkg lock held by another process instead of failing at once.
"${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 update
"${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"

for pkg in "${missing[@]}"; do
  case "$pkg" in chromium) bin=chromium ;; ripgrep) bin=rg ;; *) continue ;; esac
  if ! command -v "$bin" >/dev/null 2>&1; then
    echo "ERROR: '$bin' is still not available after apt-get install." >&2
    exit 1
  fi
done
echo "System dependencies installed."

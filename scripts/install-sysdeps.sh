#!/usr/bin/env bash
# Installs the Debian packages the fork build needs. Idempotent: does nothing
# when every package is already installed. Needs root (or sudo).
set -euo pipefail
pkgs=(git ccache ninja-build cmake rsync python3 g++ make xz-utils
      libssl-dev zlib1g-dev libbrotli-dev libnghttp2-dev libzstd-dev libsqlite3-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "sysdeps: all ${#pkgs[@]} packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "sysdeps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

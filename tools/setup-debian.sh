#!/usr/bin/env bash
# Installs the Debian packages the project needs, skipping those already present.
#   chromium        browser tests drive Debian's /usr/bin/chromium (never a downloaded browser)
#   fonts-noto-cjk  Chinese glyphs for screenshots and the PDF (Noto Sans/Serif CJK SC)
#   fonts-liberation  the English PDF's Latin text
#   git             the footer's version; python3-venv to create .venv
#   libpango-1.0-0, libpangoft2-1.0-0   WeasyPrint's text layout (the PDFs)
#   poppler-utils   pdffonts, pdftotext, pdftoppm: the PDF tests read the PDFs with them; the 保密 gate, their text
#   nginx           the serving tests start Debian's nginx themselves on 127.0.0.1 (deploy/nginx/handbook.conf)
#   wrk             `make bench ONLY=load`: a bounded load run against that nginx on 127.0.0.1 (tools/bench_load.py)
#   nodejs          runs the search worker outside a browser: the compacted worker's test, tools/search_eval.py, Pagefind
set -euo pipefail
packages=(chromium fonts-noto-cjk fonts-liberation git libpango-1.0-0 libpangoft2-1.0-0 poppler-utils nginx wrk nodejs)
# Debian's own python3 needs python3-venv for `python3 -m venv`; other Pythons bring ensurepip.
python3 -c "import ensurepip" 2>/dev/null || packages+=(python3-venv)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
# Installing nginx would start Debian's own server on port 80 with its welcome page. The tests need only
# the binary, so services are kept from starting during this install (Debian's policy-rc.d mechanism),
# and on a systemd machine the unit is left disabled; README, "Publishing on the intranet", enables it.
installs_nginx=false
[[ " ${missing[*]} " == *" nginx "* ]] && installs_nginx=true
if $installs_nginx && [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\n# Temporary, by tools/setup-debian.sh: no service starts during this install.\nexit 101\n' |
    $sudo tee /usr/sbin/policy-rc.d >/dev/null
  $sudo chmod 755 /usr/sbin/policy-rc.d
  trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
fi
echo "setup: installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
if $installs_nginx && [ -d /run/systemd/system ]; then
  $sudo systemctl disable --now --quiet nginx || true
fi

#!/usr/bin/env bash
# Install the package (not the checkout) into a fresh virtual environment and render README.md
# and the site from a copy of papers/ in a folder outside the checkout: proves the templates,
# the taxonomy and the default MkDocs configuration ship as package data. The README must equal
# the committed one. Needs the package index (or a warm pip cache) for the dependencies.
#   scripts/check-installed-package.sh            # ~30-60 s
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$root"
mkdir "$work/checkout"
cp -r "$root/papers" "$work/checkout/papers"
cd "$work/checkout"
"$work/venv/bin/python" -c 'import catalog, site_builder, sys; sys.exit(0 if "site-packages" in catalog.__file__ and "site-packages" in site_builder.__file__ else "not the installed package")'
"$work/venv/bin/pruning-catalog" readme
cmp README.md "$root/README.md"
NO_MKDOCS_2_WARNING=1 "$work/venv/bin/pruning-catalog" site
test -f site/index.html && test -f site/explorer/index.html && test -f site/facets/structure/index.html
echo "installed package: README identical to the committed one; site built ($(find site -name index.html | wc -l) pages)"

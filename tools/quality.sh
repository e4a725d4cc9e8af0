#!/usr/bin/env bash
# Full quality run: build the site, then Lighthouse (mobile, 3 runs), axe, the Nu HTML checker,
# links under a GitHub-Pages-style sub-path and screenshots, with the gates from the issues.
# Needs ../shared/tools/sitecheck installed once: SITECHECK_HOME=.sitecheck ../shared/tools/sitecheck/install.sh
# Usage: tools/quality.sh [OUT_DIR]        (reports in OUT_DIR, default quality-out/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-quality-out}
export SITECHECK_HOME=${SITECHECK_HOME:-$PWD/.sitecheck}
python build.py
# The gates run on site/ as published, CSP and all: sitecheck evaluates axe-core through the
# DevTools protocol, which a page's CSP does not govern.
pages=(xiangxiang-goes-green/index.html vocabulary/index.html vocabulary/hsk-1/index.html
       zh-hant/vocabulary/other/index.html search/index.html about/index.html
       zh-hant/index.html zh-hant/xiangxiang-goes-green/index.html zuo-gaotie-hui-laojia/index.html
       review/index.html zh-hant/review/index.html)
args=()
for p in "${pages[@]}"; do args+=(--pages "$p" --shots "$p"); done
exec bash ../shared/tools/sitecheck/sitecheck.sh site/ /yuedu/ "${args[@]}" --shots index.html \
  --lh-runs 3 --out "$out" \
  --min-score performance=95 --min-score accessibility=95 --min-score best-practices=95 --min-score seo=95 \
  --max-axe critical=0 --max-axe serious=0 --max-axe moderate=0 --max-axe minor=0 \
  --max-html-errors 0 --fail-on-broken --fail-on-external

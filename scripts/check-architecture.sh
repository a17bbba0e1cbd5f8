#!/usr/bin/env bash
# Checks the module boundaries (README "Architecture"); exits 1 naming every violation.
#   1. ApplianceStorage imports nothing of the domain or HTTP.
#   2. ApplianceDomain imports no HTTP client or server and makes no file-system calls of its
#      own (it reaches files only through storage's FileSystem seam).
#   3. ApplianceHTTP does not import ApplianceStorage (it holds no business rules).
# Usage: scripts/check-architecture.sh [SOURCES_DIR]   (default: Sources next to this script)
#        scripts/check-architecture.sh --self-test      (shows that each rule catches a violation)
set -u
here="$(cd "$(dirname "$0")" && pwd)"

if [ "${1:-}" = "--self-test" ]; then
  # Each rule, broken on purpose in a copy of the three modules, must make the check fail.
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  failures=0
  while IFS='|' read -r module line; do
    rm -rf "$tmp/Sources" && mkdir -p "$tmp/Sources"
    for m in ApplianceStorage ApplianceDomain ApplianceHTTP; do cp -r "$here/../Sources/$m" "$tmp/Sources/$m"; done
    printf '%s\n' "$line" >"$tmp/Sources/$module/Violation.swift"
    # The check must fail, naming the planted file (whatever else it finds).
    if bash "$0" "$tmp/Sources" >/dev/null 2>"$tmp/out" || ! grep -q "Violation.swift" "$tmp/out"; then
      echo "architecture self-test: '$line' in $module was not caught" >&2
      failures=1
    fi
  done <<'CASES'
ApplianceDomain|import ApplianceHTTP
ApplianceDomain|import AsyncHTTPClient
ApplianceDomain|let names = try FileManager.default.contentsOfDirectory(atPath: "/")
ApplianceDomain|let synced = fsync(fd) == 0
ApplianceStorage|import ApplianceDomain
ApplianceStorage|@testable import Hummingbird
ApplianceHTTP|import ApplianceStorage
CASES
  [ "$failures" -eq 0 ] && echo "architecture self-test: every rule catches its violation"
  exit "$failures"
fi

src=${1:-"$here/../Sources"}
status=0

# fail RULE FILE:LINE:TEXT...
report() {
  local rule=$1
  shift
  while IFS= read -r hit; do
    [ -n "$hit" ] || continue
    echo "architecture: $rule: $hit" >&2
    status=1
  done <<<"$*"
}

imports='^[[:space:]]*(@testable[[:space:]]+|@_exported[[:space:]]+|@preconcurrency[[:space:]]+)?(public[[:space:]]+|package[[:space:]]+|internal[[:space:]]+)?import[[:space:]]+(struct[[:space:]]+|class[[:space:]]+|enum[[:space:]]+|func[[:space:]]+)?'

report "ApplianceStorage must not import the domain or HTTP" \
  "$(grep -rnE "${imports}(ApplianceDomain|ApplianceHTTP|ApplianceServer|ApplianceCLI|Hummingbird[A-Za-z]*|AsyncHTTPClient|NIOHTTP1)\b" "$src/ApplianceStorage" 2>/dev/null)"

report "ApplianceDomain must not import an HTTP client or server" \
  "$(grep -rnE "${imports}(ApplianceHTTP|ApplianceServer|ApplianceCLI|Hummingbird[A-Za-z]*|AsyncHTTPClient|NIOHTTP1|FoundationNetworking)\b" "$src/ApplianceDomain" 2>/dev/null)"

# File calls: Foundation's FileManager/FileHandle, and the POSIX calls that touch files.
# (Comments are skipped.)
report "ApplianceDomain must not call file APIs (use storage's FileSystem)" \
  "$(grep -rnE '\b(FileManager|FileHandle|contentsOfFile|Data\(contentsOf)|(^|[^.[:alnum:]_])(opendir|readdir|flock|fsync|fdatasync|ftruncate|chmod|fchmod|unlink|mkdir|rmdir|open|creat)\(' "$src/ApplianceDomain" 2>/dev/null \
     | grep -vE '^[^:]+:[0-9]+:[[:space:]]*//' | grep -vE 'func[[:space:]]+(opendir|readdir|flock|fsync|fdatasync|ftruncate|chmod|fchmod|unlink|mkdir|rmdir|open|creat)\(')"

report "ApplianceHTTP must not import ApplianceStorage" \
  "$(grep -rnE "${imports}ApplianceStorage\b" "$src/ApplianceHTTP" 2>/dev/null)"

if [ "$status" -eq 0 ]; then
  echo "architecture: ok (storage is a leaf, the domain has no HTTP or file calls, HTTP does not import storage)"
fi
exit "$status"

#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this and nothing else).
#  1. installs what the tests need: Debian's chromium (browser tests) and fonts-noto-cjk (Chinese glyphs in the
#     browser tests and screenshots), PostgreSQL 15, python3-sklearn and python3-aiosmtpd (the SMTP server the e-mail
#     tests send to), npm packages;
#  2. starts a throw-away PostgreSQL cluster on a free loopback port (torn down on exit);
#  3. builds the solution with warnings as errors and runs every test project;
#  4. ends with the totals alone on a line, "N passed, N failed, N skipped", and exits non-zero on any failure.
# SQL Server tests run too when MARKETPLACE_TEST_SQLSERVER holds a connection string; otherwise they are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work="$repo/.test-run"
rm -rf "$work"
mkdir -p "$work/results"
started=$(date +%s)

say() { printf '\n==> %s\n' "$*"; }

# --- 1. What the tests need from Debian -------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# Without a CJK font Chromium draws Chinese as empty boxes (RoleLandingPagesBrowserTests checks the glyphs).
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)
/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1 || missing+=(python3-sklearn)
# The e-mail tests send through a real SMTP server: aiosmtpd with its Mailbox handler (tests/Marketplace.Testing/SmtpTestServer.cs).
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || missing+=(python3-aiosmtpd)
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- 2. PostgreSQL ------------------------------------------------------------------------------------
pg_dir=$(mktemp -d /tmp/marketplace-pg.XXXXXX)
cleanup() { bash "$repo/tests/scripts/postgres.sh" stop "$pg_dir" || true; }
trap cleanup EXIT
say "Starting PostgreSQL 15 for the tests"
MARKETPLACE_TEST_POSTGRES=$(bash tests/scripts/postgres.sh start "$pg_dir")
export MARKETPLACE_TEST_POSTGRES
echo "PostgreSQL on port $(cat "$pg_dir/port")"

# --- 3. Build and test -------------------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
say "Building (warnings are errors)"
dotnet build Marketplace.sln -nologo -clp:ErrorsOnly

say "Running the tests"
set +e
dotnet test Marketplace.sln --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" \
  --results-directory "$work/results"
test_exit=$?
set -e

# --- 4. Totals -----------------------------------------------------------------------------------------
totals=$(python3 - "$work/results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    c = {k: int(v) for k, v in counters.attrib.items()}
    passed += c.get("passed", 0)
    failed += c.get("failed", 0) + c.get("error", 0) + c.get("timeout", 0) + c.get("aborted", 0)
    # VSTest records skipped tests as not executed: total minus executed.
    skipped += max(c.get("total", 0) - c.get("executed", 0), 0) + c.get("inconclusive", 0)
print(f"{passed} {failed} {skipped}")
PY
)
read -r passed failed skipped <<<"$totals"
if [ "$test_exit" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A test host that crashed writes no failures into its report; count the run as failed all the same.
  failed=1
  echo "dotnet test exited with $test_exit although no test reported a failure (a test host crashed?)." >&2
fi
echo
echo "Test run took $(( $(date +%s) - started )) s."
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

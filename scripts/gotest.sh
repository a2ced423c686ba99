#!/usr/bin/env bash
# Runs go test with the given arguments and prints what a plain `go test`
# prints (an ok line per passing package, the output of failing tests) plus
# every skipped test with its reason, so that nothing skips silently.
#
# It runs go test -v and drops what -v adds for tests that pass: the
# === RUN/PAUSE/CONT/NAME markers, the --- PASS lines and the passing tests'
# log lines. The full -v output is kept in $GOTEST_LOG when it is set.
#
#   scripts/gotest.sh -race -count=1 ./...
set -euo pipefail

GO=${GO:-go}
log=${GOTEST_LOG:-/dev/null}

"$GO" test -v "$@" 2>&1 | tee "$log" | awk '
# out[name] holds the lines a test wrote since its === marker; cur is the
# test whose output is being printed by go test -v.
function flush(   n) {
	for (n in out) { printf "%s", out[n]; delete out[n] }
	cur = ""
}
/^=== (RUN|PAUSE|CONT|NAME) / { cur = $3; next }
/^ *--- (PASS|SKIP|FAIL): / {
	name = $3
	if ($2 == "PASS:") { delete out[name]; cur = ""; next }
	print
	# The lines of the test go under its result line, indented as go test does.
	match($0, /^ */)
	n = split(out[name], lines, "\n")
	for (i = 1; i < n; i++) print substr($0, 1, RLENGTH) lines[i]
	delete out[name]
	cur = ""
	next
}
# A package ends: print what no test claimed (a panic, a timeout), then
# the line go test prints for the package.
/^(ok  |FAIL|\?   )\t/ { flush(); print; fflush(); next }
/^(PASS|FAIL)$/ { if ($0 == "FAIL") { flush(); print }; next }
/^testing: warning: no tests to run$/ { next }
{
	if (cur != "") out[cur] = out[cur] $0 "\n"
	else print
}
END { flush() }
'

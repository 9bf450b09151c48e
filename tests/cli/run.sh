#!/usr/bin/env bash
# s2ctl CLI tests: every file t_*.sh beside this one, against the binary in
# $S2CTL (the ASan+UBSan build under `make check-cli`).
set -u
cd "$(dirname "$0")/../.."
S2CTL=${S2CTL:-build/san/s2ctl}
[[ -x $S2CTL ]] || { echo "cli: $S2CTL not built" >&2; exit 1; }
command -v jq >/dev/null || { echo "cli: jq is needed (.ci/install.d/s2ctl)" >&2; exit 1; }

. tests/cli/lib.sh
# A private copy: a parallel `make` relinking the tool must not race us.
cp "$S2CTL" "$TMP/s2ctl" && S2CTL=$TMP/s2ctl
for test_file in tests/cli/t_*.sh; do
	before=$FAIL
	. "$test_file"
	((FAIL > before)) && echo "cli: $((FAIL - before)) failures in $test_file" >&2
done
echo "cli: $PASS passed, $FAIL failed"
((FAIL == 0))

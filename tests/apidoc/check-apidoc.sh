#!/bin/sh
# check-apidoc: the public headers keep the API documentation rules
# (apidoc.awk), and the checker still finds each kind of gap: on
# bad_api.h it must fail with exactly the findings of bad_api.expected,
# and on good_api.h (every rule kept, in awkward shapes) find nothing.
#
#   sh tests/apidoc/check-apidoc.sh [AWK]     (from the top directory)
set -u
AWK=${1:-awk}
dir=tests/apidoc
fail=0

$AWK -v allow="$dir/raw-addr.allow" -f "$dir/apidoc.awk" include/s2/*.h || fail=1

out=$($AWK -v allow="$dir/bad.allow" -f "$dir/apidoc.awk" "$dir/bad_api.h")
rc=$?
if [ "$rc" -ne 1 ]; then
	echo "check-apidoc: $dir/bad_api.h: exit $rc, expected 1"
	fail=1
fi
if ! printf '%s\n' "$out" | LC_ALL=C sort | diff -u "$dir/bad_api.expected" -; then
	echo "check-apidoc: $dir/bad_api.h: findings differ from $dir/bad_api.expected"
	fail=1
fi

$AWK -v allow="$dir/good.allow" -f "$dir/apidoc.awk" "$dir/good_api.h" >/dev/null || {
	echo "check-apidoc: $dir/good_api.h: findings in a header that keeps every rule"
	$AWK -v allow="$dir/good.allow" -f "$dir/apidoc.awk" "$dir/good_api.h"
	fail=1
}
[ "$fail" -eq 0 ] && echo "check-apidoc: bad_api.h: $(printf '%s\n' "$out" | grep -c '^[^ ]*:[0-9]*: ') findings as expected; good_api.h: none"
exit $fail

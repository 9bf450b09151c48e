# Helpers for the s2ctl CLI tests: run the tool, then assert on its exit
# code, JSON output (through jq) and messages. Every assertion counts as
# one test; a sanitizer report or a signal fails the run it came from.

PASS=0
FAIL=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# A sanitizer hit exits 86 (and -fno-sanitize-recover makes UBSan fatal).
export ASAN_OPTIONS=exitcode=86:detect_leaks=1
export UBSAN_OPTIONS=exitcode=86:print_stacktrace=1

ok() { PASS=$((PASS + 1)); }
bad() {
	FAIL=$((FAIL + 1))
	printf 'FAIL: s2ctl %s\n      %s\n' "$CMDLINE" "$*" >&2
}

# run ARGS...: sets OUT, ERR, RC, CMDLINE; a crash is a failure by itself.
run() {
	CMDLINE="$*"
	OUT=$("$S2CTL" "$@" 2>"$TMP/err" </dev/null)
	RC=$?
	ERR=$(<"$TMP/err")
	if ((RC == 86 || RC >= 128)) || grep -qE 'Sanitizer|runtime error' <<<"$ERR"; then
		bad "crashed or sanitizer report (exit $RC): $(head -c 600 <<<"$ERR")"
		return 1
	fi
	return 0
}

is_rc() { [[ $RC == "$1" ]] && ok || bad "exit $RC, expected $1; stderr: $ERR"; }

# is_j FILTER EXPECTED: jq -r FILTER on OUT equals EXPECTED.
is_j() {
	local got
	got=$(jq -r "$1" <<<"$OUT" 2>&1)
	[[ $got == "$2" ]] && ok || bad "$1 = '$got', expected '$2' (output: $(head -c 400 <<<"$OUT"))"
}

# is_hex FILTER VALUE: a "0x..." string equal to VALUE as a number.
is_hex() {
	local got
	got=$(jq -r "$1" <<<"$OUT" 2>&1)
	if [[ $got =~ ^0x[0-9a-f]+$ ]] && (( got == $2 )); then ok; else
		bad "$1 = '$got', expected $(printf '%#x' "$2")"
	fi
}

is_json() { jq -e . >/dev/null 2>&1 <<<"$OUT" && ok || bad "stdout is not JSON: $(head -c 300 <<<"$OUT")"; }

# has_out/has_err TEXT: a fixed substring of stdout/stderr.
has_out() { grep -qF -- "$1" <<<"$OUT" && ok || bad "stdout lacks '$1': $(head -c 400 <<<"$OUT")"; }
has_err() { grep -qF -- "$1" <<<"$ERR" && ok || bad "stderr lacks '$1': $ERR"; }

# usage_err ARGS... -- TEXT...: exit 2 and every TEXT in the message.
usage_err() {
	local args=() texts=() t
	while (($#)) && [[ $1 != -- ]]; do args+=("$1"); shift; done
	shift
	texts=("$@")
	run "${args[@]}" || return
	is_rc 2
	for t in "${texts[@]}"; do has_err "$t"; done
}

# lib_err ARGS... -- TEXT...: exit 1 with the library's message.
lib_err() {
	local args=() t
	while (($#)) && [[ $1 != -- ]]; do args+=("$1"); shift; done
	shift
	run "${args[@]}" || return
	is_rc 1
	for t in "$@"; do has_err "$t"; done
}

# is_jm FILTER EXPECTED [FILTER EXPECTED...]: several is_j checks with one
# jq process (each still counts as one test).
is_jm() {
	local prog="" sep="" got=() i=0 n
	local -a args=("$@")
	for ((n = 0; n < ${#args[@]}; n += 2)); do
		prog+="$sep(${args[n]} | if type == \"string\" then . else tojson end)"
		sep=", "
	done
	mapfile -t got < <(jq -r "$prog" <<<"$OUT" 2>&1)
	for ((n = 0; n < ${#args[@]}; n += 2)); do
		if [[ ${got[i]-} == "${args[n + 1]}" ]]; then ok; else
			bad "${args[n]} = '${got[i]-}', expected '${args[n + 1]}' (output: $(head -c 300 <<<"$OUT"))"
		fi
		i=$((i + 1))
	done
}

# is_out_glob PATTERN: stdout matches a bash glob (cheap checks in loops).
is_out_glob() { [[ $OUT == $1 ]] && ok || bad "stdout '$(head -c 300 <<<"$OUT")' does not match '$1'"; }

# Bad command lines: exit 2, and the message says what was wrong and what
# is accepted. Library refusals of well-formed requests exit 1 (tested
# with each command). Nothing may crash (the sanitized build runs these).

usage_err -- "usage:"
usage_err frob -- "unknown command 'frob'" geometry matrix
usage_err geometry --granule 8k --ipa-bits 40 -- "'8k'" "4k, 16k, 64k"
usage_err geometry --granule --ipa-bits 40 -- "granule '--ipa-bits'" "4k, 16k, 64k"
usage_err geometry --granule 4k --ipa-bits 53 -- 53 "32..52"
usage_err geometry --granule 4k --ipa-bits 31 -- 31 "32..52"
usage_err geometry --granule 4k --ipa-bits 40x -- "'40x'" "not a number" decimal hex
usage_err geometry --granule 4k --ipa-bits "" -- "not a number"
usage_err geometry --granule 4k --ipa-bits " 40" -- "not a number"
usage_err geometry --granule 4k --ipa-bits 0x -- "not a number"
usage_err geometry --granule 4k --ipa-bits +40 -- "not a number"
usage_err geometry --granule 4k --ipa-bits 99999999999999999999999 -- "not a number"
usage_err geometry --granule 4k --ipa-bits -- "'--ipa-bits' needs a value"
usage_err geometry --granule 4k -- "missing --ipa-bits" "32..52"
usage_err geometry --ipa-bits 40 -- "missing --granule" "4k, 16k or 64k"
usage_err geometry --granule 4k --ipa-bits 40 --frob -- "unknown option '--frob'"
usage_err geometry --granule 4k --ipa-bits 40 -x -- "unknown option '-x'"
usage_err geometry --granule 4k --ipa-bits 40 extra -- "unexpected argument 'extra'"
usage_err geometry --granule 4k --ipa-bits 40 --pa-bits 41 -- "'41'" "32, 36, 40, 42, 44, 48, 52"
usage_err geometry --granule 4k --ipa-bits 40 --start-level 4 -- 4 "-1..3"
usage_err geometry --granule 4k --ipa-bits 40 --start-level -2 -- -2 "-1..3"
usage_err geometry --granule 4k --ipa-bits 40 --start-level --1 -- "not a number"
usage_err geometry --granule 4k --ipa-bits 40 --vmid-bits 12 -- 12 "8 or 16"
usage_err geometry --granule 4k --ipa-bits -40 -- "not a number"
usage_err vtcr -- "decode" "encode"
usage_err vtcr frob -- "'frob'" "decode, encode"
usage_err vtcr decode -- "missing"
usage_err vtcr decode 0xzz -- "'0xzz'" "not a number"
usage_err vtcr decode 0x80023558 0x1 -- "unexpected argument '0x1'"
usage_err vtcr decode 0x10000000000000000 -- "64 bits"
usage_err vtcr encode --granule 4k -- "--ipa-bits"
usage_err matrix --policy foo -- "'foo'" "capped, independent"
usage_err matrix --policy -- "needs a value"
usage_err matrix extra -- "unexpected argument"
usage_err limits -- "--pa-bits" "--mmfr0"
usage_err limits --pa-bits 50 -- "'50'" "32, 36, 40, 42, 44, 48, 52"
usage_err limits --pa-bits 48 --mmfr0 0x5 -- "not both"
usage_err limits --mmfr1 0x20 -- "--mmfr0"
usage_err limits --mmfr0 0x5g -- "'0x5g'" "not a number"
usage_err limits --pa-bits 48 --policy capped -- "--host-va-bits" "36..52"
usage_err limits --pa-bits 48 --host-va-bits 39 -- "--policy capped"
usage_err limits --pa-bits 48 --policy capped --host-va-bits 60 -- 60 "36..52"
usage_err limits --pa-bits 48 --granule 2m -- "'2m'" "4k, 16k, 64k"
usage_err limits --pa-bits 48 --kernel-pa-bits 47 -- "'47'" "CONFIG_ARM64_PA_BITS"
usage_err vm-type -- "missing TYPE"
usage_err vm-type 40x -- "'40x'" "not a number"
usage_err vm-type -1 -- "'-1'" "negative"
usage_err vm-type 40 41 -- "unexpected argument '41'"
usage_err decode -- par hpfar esr its-baser
usage_err decode frob 0x1 -- "'frob'" par esr gicr-pendbaser
usage_err decode par -- "missing"
usage_err decode esr 12q -- "'12q'" "not a number"
usage_err decode esr 0x1 0x2 -- "unexpected argument '0x2'"
usage_err decode esr 0x92000006 --far 0x1 -- "--far" hpfar
usage_err decode hpfar 0x10 --va 0x1 -- "--va" par
usage_err decode its-baser -- "missing"
usage_err decode its-baser 0x1 --bogus -- "unknown option '--bogus'"
usage_err vttbr --granule 4k --ipa-bits 40 --root 0x4000x --vmid 1 -- "'0x4000x'"

# --help everywhere: exit 0, usage on stdout.
for c in "" limits vm-type geometry vtcr "vtcr decode" "vtcr encode" vttbr matrix \
	 decode "decode par" "decode its-baser" virtio-limit; do
	# shellcheck disable=SC2086
	run $c --help && { is_rc 0; has_out "usage:"; }
done
run help && { is_rc 0; has_out "geometry"; }

# Odd words in every position must give 0, 1 or 2 and never crash.
odd=("" "-" "--" "---" "--json=1" "--granule=" "--ipa-bits=" "0x" "0xffffffffffffffff"
     "18446744073709551616" "-9223372036854775808" "%s%n%x" "$(printf 'a%.0s' {1..300})"
     "--help=x" "--lpa2=1" "é")
for c in limits vm-type geometry "vtcr decode" "vtcr encode" vttbr matrix "decode par" \
	 "decode esr" "decode its-baser" virtio-limit; do
	for w in "${odd[@]}"; do
		# shellcheck disable=SC2086
		run $c "$w" || continue
		((RC <= 2)) && ok || bad "exit $RC"
		# shellcheck disable=SC2086
		run $c --granule 4k --ipa-bits 40 "$w" || continue
		((RC <= 2)) && ok || bad "exit $RC"
	done
done

# Hostile files and streams: each refused with a clear message and an exit
# status of 0, 1 or 2, never a crash.
# A failed write or close of the image: exit 1, "cannot write FILE: reason".
CMDLINE="image ... --out /dev/full -"
OUT=$(echo | "$S2CTL" image --granule 64k --ipa-bits 32 --base-pa 0x40000000 --out /dev/full - 2>"$TMP/err")
RC=$?; ERR=$(<"$TMP/err")
is_rc 1; has_err "cannot write /dev/full: No space left on device"; is_j .error EIO
# A map whose table pages cannot fit is refused from the count, at once,
# naming the need and the bound, with nothing allocated.
CMDLINE="run --ipa-bits 48 (map 0 256T 0 r pages)"
printf 'map 0 256T 0 r pages\nstats\n' >"$TMP/big"
OUT=$("$S2CTL" run --ipa-bits 48 "$TMP/big" 2>"$TMP/err"); RC=$?
is_rc 1
is_j 'select(.op == "map") | [.error, (.message | test("needs 134480384 table pages.*room for"))] | map(tostring) | join(" ")' "ENOMEM true"
is_j 'select(.op == "stats") | [.tables, .table_bytes] | map(tostring) | join(" ")' "1 4096"   # the root only
# --table-memory: at most the machine's physical memory, sizes with suffixes.
phys=$(( $(getconf _PHYS_PAGES) * $(getconf PAGESIZE) ))
usage_err run --table-memory $((phys + 4096)) /dev/null -- "--table-memory" "physical memory"
usage_err run --table-memory 1P /dev/null -- "1P" "physical memory"
run run --table-memory 64M --base-pa 1G /dev/null && is_rc 0
printf 'map 0 4G 0 rw pages\n' >"$TMP/mid"
run run --table-memory 1M "$TMP/mid" && { is_rc 1; is_j '.message | test("needs 2052 table pages.*room for [0-9]+ ")' true; }
# Read errors are not end of file: exit 2, "cannot read SCRIPT: reason".
usage_err run /tmp -- "cannot read /tmp: Is a directory"
run run /tmp && is_j '[.op, .error, .line] | map(tostring) | join(" ")' "script EIO 1"
printf 'map 0 4K 0 rw\nfrob\n' >"$TMP/frob"
run run "$TMP/frob" && { is_rc 2; is_j '[.op, .error] | join(" ")' "$(printf 'map \nscript EINVAL')"; }
echo "translate 0" >"$TMP/one"
usage_err image --base-pa 1G --out "$TMP/x.img" /tmp -- "cannot read /tmp: Is a directory"
CMDLINE="run - <&-"
OUT=$("$S2CTL" run - 2>"$TMP/err" <&-); RC=$?; ERR=$(<"$TMP/err")
is_rc 2; has_err "cannot read <stdin>: Bad file descriptor"
# An endless line is refused at the documented length, naming its number.
CMDLINE="run /dev/zero"
OUT=$(timeout 20 "$S2CTL" run /dev/zero 2>"$TMP/err"); RC=$?; ERR=$(<"$TMP/err")
is_rc 2; has_err "/dev/zero:1: line longer than 4096 bytes"
{ echo "translate 0"; head -c 5000 /dev/zero | tr '\0' ' '; echo; } >"$TMP/long"
usage_err run "$TMP/long" -- ":2: line longer than 4096 bytes"
printf 'translate 0\nmap 0 4K\0 0 r\n' >"$TMP/nul"
usage_err run "$TMP/nul" -- ":2: line holds a NUL byte"
# Arguments are counted in full.
printf 'map 0 0 0 0 0 0 0 0 0 0 0 0\n' >"$TMP/many"
usage_err run "$TMP/many" -- "map takes 4 arguments, got 12"
printf 'translate 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20\n' >"$TMP/many"
usage_err run "$TMP/many" -- "translate takes 1 argument, got 20"
# A failed write to stdout is an error.
for args in "geometry --granule 4k --ipa-bits 40 --json" "matrix" "--version" "limits --pa-bits 48"; do
	CMDLINE="$args >/dev/full"
	"$S2CTL" $args >/dev/full 2>"$TMP/err"; RC=$?; ERR=$(<"$TMP/err")
	is_rc 1; has_err "cannot write standard output: No space left on device"
done
# Non-UTF-8 bytes from a script or a file name are escaped: every JSON line
# is valid UTF-8 and JSON.
utf8_json() {
	local l
	iconv -f UTF-8 -t UTF-8 <<<"$OUT" >/dev/null 2>&1 && ok || bad "output is not valid UTF-8"
	while IFS= read -r l; do
		jq -e . >/dev/null 2>&1 <<<"$l" && ok || bad "not a JSON line: $l"
	done <<<"$OUT"
}
printf 'map 0 4K 0 rw\nmap 0x1000 4K 0 r\xff\n' >"$TMP/bytes"
run run "$TMP/bytes" && { is_rc 2; utf8_json; }
bad_name=$TMP/$'img\xff\xc0.bin'
run image --base-pa 1G --out "$bad_name" /dev/null && { is_rc 0; utf8_json; is_j .out "$TMP/img\\xff\\xc0.bin"; }
run image --base-pa 1G --out "$TMP/"$'\xed\xa0\x80'"/no/such" /dev/null && { is_rc 1; utf8_json; is_j '.message | test("cannot write")' true; }
# With --json a usage error is also a JSON line on stdout, wherever --json
# stands and however getopt_long reads it (a unique prefix; not when it is
# another option's value); without --json stdout stays empty.
json_usage() {
	run "$@" && { is_rc 2; is_json; is_j '[.error, .usage] | map(tostring) | join(" ")' "EINVAL true"
		has_err "Try 's2ctl"; }
}
json_usage geometry --bogus --json
json_usage geometry --json --ipa-bits 99 && is_j .message "--ipa-bits 99 is outside 32..52"
json_usage geometry --granule 4k --ipa-bits 30 --js && has_out "outside 32..52"
json_usage vtcr frob --json && has_out "unknown action 'frob'"
json_usage decode --json && has_out "register"
json_usage nosuch --json && is_j .message "unknown command 'nosuch'"
json_usage geometry --granule 4k --json extra && has_out "unexpected argument 'extra'"
run geometry --bogus && { is_rc 2; [[ -z $OUT ]] && ok || bad "stdout not empty: $OUT"; }
run geometry --granule 4k --ipa-bits 99 -- --json && { is_rc 2; [[ -z $OUT ]] && ok || bad "stdout not empty: $OUT"; }
# Reserved ITS page size.
run decode its-baser 0x300 --json && { is_rc 0; is_j '[.page_size_reserved, .page_size, .size_bytes] | map(tostring) | join(" ")' "true 0 0"; }
run decode its-baser 0x300 && has_out "Page_Size 0b11 is reserved"
run decode its-baser 0x200 --json && is_j '[.page_size_reserved, .page_size] | map(tostring) | join(" ")' "false 65536"
# Conventions: a --json refusal has "error"; every run line has "op";
# sizes take suffixes; --version; help CMD.
run virtio-limit --transport mmio-legacy --ram-end 0x100000001000 --json && {
	is_rc 1; is_j '[.fits, .error] | map(tostring) | join(" ")' "false ERANGE"; }
printf 'map 0 4K 0 r\ntranslate 0\ntranslate 0x100000\ndump\nstats\nmkyoung 0\nmap 0 0 0 r\n' >"$TMP/ops"
run run "$TMP/ops" && { is_rc 1; is_j 'has("op")' "$(printf 'true\n%.0s' 1 2 3 4 5 6 7)"; }
run run "$TMP/ops" && is_j '[.op] | join(" ")' "$(printf '%s\n' map translate translate dump stats mkyoung map)"
run image --base-pa 1G --table-memory 4M --out "$TMP/s.img" /dev/null && { is_rc 0; is_j .base_pa 0x40000000; }
usage_err run --base-pa 1Q /dev/null -- "'1Q'" "K/M/G/T/P"
run --version && { is_rc 0; has_out "s2ctl (s2kit)"; }
run help run && { is_rc 0; has_out "usage: s2ctl run"; }
run help matrix && { is_rc 0; has_out "usage: s2ctl matrix"; }
usage_err help frob -- "unknown command 'frob'"
usage_err help run extra -- "one command"

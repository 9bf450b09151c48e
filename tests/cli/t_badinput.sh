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

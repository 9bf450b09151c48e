# vm-type: KVM_CREATE_VM types with Linux KVM's rules (api.rst; measured
# on 6.12: on a limit of 52, types 0 and 32..52 work, 31 and 53 are EINVAL).

HOST52=(--mmfr0 0x0000032310201126 --lpa2)
for ((t = 0; t < 256; t++)); do
	run vm-type $t "${HOST52[@]}" --json || continue
	if ((t == 0)); then
		is_rc 0; is_out_glob '{"ipa_bits": 40}'
	elif ((t >= 32 && t <= 52)); then
		is_rc 0; is_out_glob "{\"ipa_bits\": $t}"
	else
		is_rc 1; is_out_glob '{"error": "EINVAL", "message": "?*"}'
	fi
done
# The whole output is valid JSON of exactly that form.
run vm-type 44 "${HOST52[@]}" --json && is_j 'keys | join(" ")' ipa_bits
run vm-type 53 "${HOST52[@]}" --json && is_j 'keys | join(" ")' "error message"
# Any bit above [7:0] is EINVAL, alone or with a valid size.
for ((b = 8; b < 64; b++)); do
	run vm-type "$(printf '%#x' $((1 << b | 40)))" "${HOST52[@]}" --json && { is_rc 1; is_out_glob '{"error": "EINVAL", "message": "?*"}'; }
done
run vm-type 0x8000000000000000 "${HOST52[@]}" --json && is_rc 1
# Messages name the value and the limit.
run vm-type 53 "${HOST52[@]}" --json && { is_j '.message | test("53")' true; is_j '.message | test("52")' true; }
lib_err vm-type 0x128 "${HOST52[@]}" -- EINVAL 0x128
# A 48-bit host (6.1): 48 fits, 49 does not.
run vm-type 48 --mmfr0 0x0000032310201126 --json && is_j .ipa_bits 48
run vm-type 49 --mmfr0 0x0000032310201126 --json && { is_rc 1; is_j '.message | test("48")' true; }
# A host below 40 bits: type 0 is refused (the VMM must ask for a size).
run vm-type 0 --pa-bits 36 --json && { is_rc 1; is_j .error EINVAL; is_j '.message | test("36")' true; }
run vm-type 36 --pa-bits 36 --json && is_j .ipa_bits 36
run vm-type 37 --pa-bits 36 --json && is_rc 1
# Without host options: a model 52-bit CPU, 4K, no LPA2 (limit 48).
run vm-type 48 && { is_rc 0; has_out "48-bit IPA"; }
run vm-type 52 --lpa2 --json && is_j .ipa_bits 52
run vm-type 0x30 --granule 64k --json && is_j .ipa_bits 48
# The host itself can be the problem (16K on a Cortex-A57): exit 1 too.
run vm-type 40 --mmfr0 0x1124 --granule 16k --json && { is_rc 1; is_j .error ENOTSUP; }

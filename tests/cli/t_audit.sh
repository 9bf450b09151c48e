# Hardening audit: hostile values at the edges of each subcommand's rules,
# checked against the Arm architecture and Linux 6.12's KVM.

# A reserved TGranX_2 (8..15) leaves that granule unusable: Linux's
# kvm_set_ipa_limit() refuses to start KVM; the message names the field.
run limits --mmfr0 0x80000000006 --json && {
	is_rc 1; is_j .error ENOTSUP; is_j '.message | test("TGran4_2=8 is reserved")' true; }
run limits --mmfr0 0x70000000006 --json && { is_rc 0; is_j .ipa_limit 48; }
# A reserved PARange on a 64K host: the kernel's PA size is the limit
# (id_aa64mmfr0_parange_to_phys_shift() returns CONFIG_ARM64_PA_BITS).
run limits --mmfr0 0x7 --granule 64k --kernel-pa-bits 48 --json && {
	is_rc 0; is_jm .ipa_limit 48 .ps_bits 48; }
run limits --mmfr0 0xf --granule 64k --kernel-pa-bits 52 --json && {
	is_rc 0; is_jm .ipa_limit 52 .ps_bits 52; }
lib_err vm-type 52 --mmfr0 0x7 --granule 64k --kernel-pa-bits 48 -- "52 bits" "32..48"

# getopt_long's refusals of long options, named for what they are: a value
# given to an option that takes none (--help=1 was "unknown option '-h'"),
# an ambiguous prefix with the options it fits, an unknown name.
usage_err geometry --granule 4k --ipa-bits 40 --lpa2=1 -- "option '--lpa2' takes no value"
usage_err geometry --granule 4k --ipa-bits 40 --help=1 -- "option '--help' takes no value"
usage_err vtcr decode --json=1 0x80023558 -- "option '--json' takes no value"
usage_err geometry --granule 4k --ipa-bits 40 --h -- "'--h' is ambiguous" --help --ha --hd
usage_err limits --pa-bits 48 --mmfr 3 -- "'--mmfr' is ambiguous" --mmfr0 --mmfr1 --mmfr2
usage_err geometry --granule 4k --ipa-bits 40 --frob=3 -- "unknown option '--frob=3'"
run geometry --granule 4k --ipa-bits 40 --h --json && {
	is_rc 2; is_json; is_j .message "option '--h' is ambiguous: it could be --help, --ha, --hd"; }
# An unambiguous prefix and --opt=value still work.
run geometry --gran=16k --ipa 36 --j && { is_rc 0; is_jm .granule 16384 .ipa_bits 36; }

# VTCR.T0SZ outside 12..32 is named as such (T0SZ=0 read as a "64-bit IPA").
for t in 0 11 33 63; do
	run vtcr decode $(printf '%#x' $((0x80050040 | t))) --json && {
		is_rc 1; is_j .error EINVAL
		is_j ".message | test(\"T0SZ=$t selects a $((64 - t))-bit IPA.*T0SZ 12..32\")" true; }
done
run vtcr decode 0x80050058 --json && { is_rc 0; is_jm .t0sz 24 .ipa_bits 40; }

# image: a refusal changes nothing. A VMID the VMID size cannot hold was
# refused only after the image had overwritten --out.
echo old >"$TMP/keep.img"
run image --base-pa 1G --vmid 300 --out "$TMP/keep.img" /dev/null && {
	is_rc 1; is_j '.message | test("VMID 300 does not fit in 8 bits")' true
	[[ $(<"$TMP/keep.img") == old ]] && ok || bad "--out was overwritten"; }
printf 'map 0 4K 0 rw\nmap 0 0 0 r\n' >"$TMP/twice"
run image --base-pa 1G --out "$TMP/keep.img" "$TMP/twice" && {
	is_rc 1; [[ $(<"$TMP/keep.img") == old ]] && ok || bad "--out was overwritten"; }
# A success replaces the file whole, keeps its mode and leaves no temporary.
mkdir "$TMP/imgdir"; echo old >"$TMP/imgdir/a.img"; chmod 640 "$TMP/imgdir/a.img"
printf 'map 0 4K 0x1000 rw\n' >"$TMP/one_map"
run image --base-pa 1G --out "$TMP/imgdir/a.img" "$TMP/one_map" && {
	is_rc 0; is_j .bytes "$(stat -c %s "$TMP/imgdir/a.img")"
	[[ $(stat -c %a "$TMP/imgdir/a.img") == 640 ]] && ok || bad "mode not kept"
	[[ $(ls "$TMP/imgdir") == a.img ]] && ok || bad "left behind: $(ls "$TMP/imgdir")"; }
# A FIFO nobody reads is refused at once, not waited on.
mkfifo "$TMP/fifo"
CMDLINE="image --out FIFO"
OUT=$(timeout 20 "$S2CTL" image --base-pa 1G --out "$TMP/fifo" "$TMP/one_map" 2>"$TMP/err"); RC=$?
ERR=$(<"$TMP/err")
is_rc 1; is_j .error EIO; has_err "FIFO nobody reads"

# Addresses take the K/M/G/T/P suffixes `s2ctl --help` promises, as
# --base-pa does (--ram-end and --root refused "16T" and "1G").
run virtio-limit --transport pci-legacy --ram-end 16T --json && {
	is_rc 0; is_jm .fits true .ram_end 0x100000000000; }
run virtio-limit --transport pci-legacy --ram-end 17T --json && { is_rc 1; is_j .error ERANGE; }
run vttbr --granule 4k --ipa-bits 40 --root 1G --vmid 1 --json && { is_rc 0; is_hex .root 0x40000000; }
usage_err vttbr --granule 4k --ipa-bits 40 --root 16E --vmid 1 -- "'16E'" "K/M/G/T/P"
usage_err virtio-limit --transport pci-legacy --ram-end 16384P -- "'16384P'" "at most 64 bits"
# A root beyond the PA size: the message says where the highest root fits.
run vttbr --granule 4k --ipa-bits 40 --root 0x10000000000 --vmid 1 --json && {
	is_rc 1; is_j .error ERANGE; is_j '.message | test("40-bit PA size.*at 0xffffffe000")' true; }
# ESR with ISV=0 has no access size (access_bytes was 1, from SAS=0).
run decode esr $((0x24 << 26 | 0x07)) --json && { is_rc 0; is_jm .isv false .access_bytes null; }
run decode esr $((0x24 << 26 | 1 << 24 | 0x07)) --json && { is_rc 0; is_jm .isv true .access_bytes 1; }
# --version takes no arguments (trailing junk was ignored).
usage_err --version extra -- "unexpected argument 'extra'"
run --version extra --json && { is_rc 2; is_json; is_jm .error EINVAL .usage true; }

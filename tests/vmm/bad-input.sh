#!/usr/bin/env bash
# bad-input.sh S2VMM: s2vmm under bad input, on the build host.
#
# S2VMM is the sanitized host build (no KVM behind it: valid input that
# would run a VM ends in "cannot open /dev/kvm", exit 1). Every refusal
# here must come first: exit 2, a message naming the value, no
# sanitizer report, within seconds (a FIFO or a 4 GiB sparse file must
# not be waited on or read). --ipa-limit plans without KVM: exit 0.
set -uo pipefail
S=$1
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
export ASAN_OPTIONS=exitcode=86 UBSAN_OPTIONS=exitcode=87:print_stacktrace=1

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect RC STRING -- ARGS...: s2vmm run ARGS exits RC within 20 s and
# prints STRING (fixed) on stderr or stdout; no sanitizer report.
expect() {
	local rc=$1 want=$2 got out
	shift 3
	out=$(timeout -s KILL 20 "$S" run "$@" 2>&1 </dev/null)
	got=$?
	if [ "$got" != "$rc" ]; then
		bad "s2vmm run $* -> exit $got, expected $rc: $out"
	elif ! grep -qF -- "$want" <<<"$out"; then
		bad "s2vmm run $* -> no '$want' in: $out"
	elif grep -v "WARNING: AddressSanitizer failed to allocate" <<<"$out" |
	     grep -qE "AddressSanitizer|runtime error|LeakSanitizer"; then
		bad "s2vmm run $* -> sanitizer report: $out"
	else
		ok
	fi
}

# le64 N: 8 bytes of N, little endian, as printf escapes.
le64() { local v=$1 i s=; for i in 0 1 2 3 4 5 6 7; do s+=$(printf '\\x%02x' $(( (v >> (8 * i)) & 255 ))); done; echo "$s"; }

# image FILE TEXT_OFFSET IMAGE_SIZE BYTES: an arm64 Image header
# (Documentation/arch/arm64/booting.rst) padded with zeros to BYTES.
image() {
	{
		printf '\x00\x00\x00\x14\x00\x00\x00\x00'        # code0: b +0x50; code1
		printf "$(le64 "$2")$(le64 "$3")"                 # text_offset, image_size
		printf '\x0a\x00\x00\x00\x00\x00\x00\x00'        # flags: LE, 4K, anywhere
		printf '%.0s\x00' {1..24}                         # res2, res3, res4
		printf 'ARM\x64\x00\x00\x00\x00'                  # magic, res5
	} > "$1"
	truncate -s "$4" "$1"
}

# Numbers: strict, as s2ctl's parser (no blank, no sign, no '-' after 0x).
expect 2 "-m: '0x-1' is not a size" -- -m 0x-1 --print-layout
expect 2 "-m: ' 512' is not a size" -- -m ' 512' --print-layout
expect 2 "-m: '0x-80000000' is not a size" -- -m 512M@0x-80000000 --print-layout
expect 2 "-c '+1': give 1..64 vCPUs" -- -c +1 --print-layout
expect 2 "--ipa-bits ' 40': give auto or 32..52 bits" -- --ipa-bits ' 40' --print-layout
expect 2 "--ipa-bits '53': give auto or 32..52 bits" -- --ipa-bits 53 --print-layout
expect 2 "--ipa-limit '40x': give a KVM IPA limit of 32..52 bits" -- --ipa-limit 40x --print-layout
expect 2 "--kaslr-seed '"$'\t'"1': give a 64-bit number" -- --kaslr-seed $'\t1' --print-layout
expect 2 "--kaslr-seed '010x': give a 64-bit number" -- --kaslr-seed 010x --print-layout
expect 2 "--sve-max-vl ' 256': give a vector length in bits" -- --sve-max-vl ' 256' --print-layout
# getopt's refusals name the option: an unknown letter inside a group,
# not the argument before it; an ambiguous prefix lists what it fits.
expect 2 "unknown option '-z' (see s2vmm run --help)" -- -k /nonexistent -zq --print-layout
expect 2 "unknown option '-z' (see s2vmm run --help)" -- --pmu -zq --print-layout
expect 2 "option '--dis' is ambiguous: --disable-mte, --disk" -- --dis x --print-layout
expect 2 "option '--pmu=1': --pmu takes no value" -- --pmu=1 --print-layout
# Host CPUs for the vCPU threads: checked against this process's mask.
expect 2 "--vcpu-affinity 1000: CPU 1000 not available to s2vmm" -- --vcpu-affinity 1000 --print-layout

# Layout refusals come before KVM, on any machine.
expect 2 "RAM bank 0 (4096 TiB at 0x80000000) ends at 0x10000080000000, beyond the 52-bit IPA space" -- -m 4P --print-layout
expect 2 "RAM bank 0 (0x3c000000..0x3fffffff) overlaps the GIC redistributors at 0x3ffb0000..0x3ffeffff" \
	-- -c 2 -m 64M@0x3c000000 --print-layout
# A bank the layout placed over one the user placed: said, with an
# address that fits.
expect 2 "RAM bank 0 has no @ADDR and the low layout put it there: give it one, e.g. -m 1G@0xc0000000" \
	-- --ipa-limit 40 -m 1G -m 1G@2G --print-layout
expect 0 "2 GiB of RAM" -- --ipa-limit 40 -m 1G@0xc0000000 -m 1G@2G --print-layout
expect 2 "no kernel given (-k FILE)" --
# ... and against a given limit, without KVM.
expect 2 "4096 GiB of RAM at 0x80000000 needs a 43-bit IPA; this host allows 40 bits" -- -m 4T --ipa-limit 40 --print-layout
expect 2 "--ipa-bits 44: KVM allows 32..40 here" -- --ipa-bits 44 --ipa-limit 40 --print-layout
expect 0 "s2vmm layout: 43-bit IPA (auto: smallest that fits), layout low, 1 vCPU, 4096 GiB of RAM" \
	-- -c 1 -m 4T --ipa-limit 48 --print-layout
expect 0 "  0x0001000000000000-0x000100002fffffff    768 MiB  RAM bank 1" \
	-- --ipa-limit 52 --ipa-bits 52 --layout split -m 1G --print-layout
# Valid input needs KVM; this build has none: exit 1, after every check.
expect 1 "cannot open /dev/kvm" -- -m 1G --print-layout

# Kernel and initrd: regular files only, sized before they are read.
mkfifo "$t/fifo"
truncate -s 4G "$t/sparse"
truncate -s 0 "$t/empty"
printf 'raw guest' > "$t/raw"
expect 2 "kernel '$t/fifo' is a FIFO, not a regular file" -- -k "$t/fifo"
expect 2 "kernel '$t' is a directory" -- -k "$t"
expect 2 "kernel '/dev/zero' is a device, not a regular file" -- -k /dev/zero
expect 2 "kernel '$t/empty' is empty" -- -k "$t/empty"
expect 2 "kernel '$t/sparse' is 4 GiB; the boot window holds 256 MiB" -- -k "$t/sparse"
expect 2 "kernel (9 bytes at 0x80000000) and the DTB do not fit in the first 64 KiB of the boot bank at 0x80000000: they need 65545 bytes, the window has 65536" \
	-- -m 64K -k "$t/raw"
expect 2 "initrd '$t/fifo' is a FIFO, not a regular file" -- -k "$t/raw" -i "$t/fifo"
expect 2 "initrd '$t/sparse' is 4 GiB; the boot window holds 256 MiB" -- -k "$t/raw" -i "$t/sparse"
expect 2 "initrd '/nonexistent': No such file or directory" -- -k "$t/raw" -i /nonexistent
expect 2 "-i '$t/raw': an initrd without a kernel (-k FILE) would be left out" -- --ipa-limit 40 --print-layout -i "$t/raw"
expect 2 "kernel '/nonexistent': No such file or directory" -- -k /nonexistent

# Allocation failure (ASan refuses allocations over 1 MiB): the machine
# failed, not the input: exit 1, and nothing leaks on the way out.
head -c 2097152 /dev/zero > "$t/raw2m"
ASAN_OPTIONS=$ASAN_OPTIONS:allocator_may_return_null=1:max_allocation_size_mb=1 \
	expect 1 "kernel '$t/raw2m': no memory for 2097152 bytes" -- --ipa-limit 40 -k "$t/raw2m"
ASAN_OPTIONS=$ASAN_OPTIONS:allocator_may_return_null=1:max_allocation_size_mb=1 \
	expect 1 "initrd '$t/raw2m': no memory for 2097152 bytes" -- --ipa-limit 40 -k "$t/raw" -i "$t/raw2m"

# Image header fields: checked with arithmetic that cannot wrap.
image "$t/huge" 0 0xffffffffffffffff 4096
expect 2 "kernel '$t/huge': its Image header asks for 18446744073709551615 bytes" -- -k "$t/huge"
image "$t/wrap" 0xfffffffffff00000 0x200000 4096
expect 2 "at text_offset 0xfffffffffff00000; the boot window holds 256 MiB" -- -k "$t/wrap"
image "$t/big" 0 0x10000000 4096
expect 2 "kernel (256 MiB at 0x80000000) and the DTB do not fit in the first 256 MiB of the boot bank at 0x80000000: they need 268500992 bytes, the window has 268435456" -- -k "$t/big"
# Not an Image, and not run as a raw binary either: named.
{ printf '\x7fELF\x02\x01\x01'; head -c 4000 /dev/zero; } > "$t/vmlinux"
expect 2 "kernel '$t/vmlinux' is an ELF file (a vmlinux?)" -- -k "$t/vmlinux"
printf 'raw guest' | gzip > "$t/Image.gz"
expect 2 "kernel '$t/Image.gz' is gzip-compressed" -- -k "$t/Image.gz"
image "$t/odd" 0x80002 0x200000 4096
expect 2 "kernel '$t/odd': its Image header's text_offset 0x80002 is not a multiple of 4" -- -k "$t/odd"
image "$t/small" 0 0x100 4096
expect 2 "kernel '$t/small': 4096 bytes, more than the 256 its Image header declares" -- -k "$t/small"
image "$t/ok" 0 0x200000 4096
expect 1 "cannot open /dev/kvm" -- -k "$t/ok" -i "$t/raw"
expect 0 "0x0000000080000000-0x000000008fffffff    256 MiB  RAM bank 0 (boot: kernel, DTB, initrd)" \
	-- --ipa-limit 40 -k "$t/ok" -i "$t/raw" --print-layout

# The command line: refused when Linux would cut it, never cut here.
p2024=$(printf 'x%.0s' {1..2024}) p2047=$(printf 'x%.0s' {1..2047})
expect 0 "layout low" -- --ipa-limit 40 --print-layout -p "$p2024"
expect 2 "-p: the kernel command line would be 2048 bytes (2025 of -p after \"console=ttyS0 earlycon\"); arm64 Linux takes at most 2047" \
	-- --ipa-limit 40 --print-layout -p "${p2024}x"
expect 0 "layout low" -- --ipa-limit 40 --print-layout --nodefaults -p "$p2047"
expect 2 "-p: the kernel command line would be 2048 bytes (2048 of -p); arm64 Linux takes at most 2047" \
	-- --ipa-limit 40 --print-layout --nodefaults -p "${p2047}x"
expect 2 "arm64 Linux takes at most 2047" -- -k "$t/raw" -p "$(printf 'y%.0s' {1..100000})"

# Output: a DTB that cannot be written is an error, not a silent exit 0.
expect 1 "--dtb-out '/dev/full': cannot write: No space left on device" -- --ipa-limit 40 --dtb-out /dev/full
expect 1 "--dtb-out '$t/no/such.dtb': cannot write: No such file or directory" -- --ipa-limit 40 --dtb-out "$t/no/such.dtb"
expect 0 "" -- --ipa-limit 40 --dtb-out "$t/ok.dtb"
if [ "$(head -c 4 "$t/ok.dtb" | od -An -tx1 | tr -d ' ')" = d00dfeed ]; then ok; else bad "--dtb-out wrote no DTB"; fi
# QEMU's -dtb FILE reads a device tree; here "--dtb" would be an
# abbreviation of --dtb-out and overwrite it: refused, the file kept.
echo "user's device tree" > "$t/board.dtb"
expect 2 "option '--dtb' would be --dtb-out, which overwrites '$t/board.dtb'" -- --ipa-limit 40 --dtb "$t/board.dtb"
if [ "$(cat "$t/board.dtb")" = "user's device tree" ]; then ok; else bad "--dtb overwrote the file"; fi
# A FIFO nobody reads is an error, not a wait; one with a reader gets
# the DTB. An input file is never overwritten: the kernel (through a
# link) or a disk named as --dtb-out is refused before anything is read.
expect 1 "--dtb-out '$t/fifo': a FIFO no process reads" -- --ipa-limit 40 --dump-dtb "$t/fifo"
# The reader: this shell, holding the FIFO open (read-write: the open
# does not wait) before s2vmm starts; the DTB fits the pipe's buffer.
exec 3<>"$t/fifo"
expect 0 "" -- --ipa-limit 40 --dump-dtb "$t/fifo"
if [ "$(timeout 5 head -c 4 <&3 | od -An -tx1 | tr -d ' ')" = d00dfeed ]; then ok; else bad "--dtb-out FIFO: no DTB read"; fi
exec 3<&-
head -c 4096 /dev/urandom > "$t/keep.img"; cp "$t/keep.img" "$t/keep.orig"; ln -s keep.img "$t/keep.link"
expect 2 "--dtb-out '$t/keep.img' is --disk '$t/keep.img': writing the device tree would overwrite it" \
	-- --ipa-limit 40 -d "$t/keep.img" --dump-dtb "$t/keep.img"
expect 2 "--dtb-out '$t/keep.link' is -k '$t/keep.img'" -- --ipa-limit 40 -k "$t/keep.img" --dump-dtb "$t/keep.link"
expect 2 "--dtb-out '$t/keep.img' is -i '$t/keep.link'" -- --ipa-limit 40 -k "$t/raw" -i "$t/keep.link" --dump-dtb "$t/keep.img"
if cmp -s "$t/keep.img" "$t/keep.orig"; then ok; else bad "--dtb-out over an input changed it"; fi
# A write that fails (here the file size limit, EFBIG) leaves the file
# that was there as it was, and no temporary file beside it; one that
# succeeds replaces it whole, keeping its mode.
mkdir "$t/out"; echo previous > "$t/out/x.dtb"; chmod 640 "$t/out/x.dtb"
out=$(trap '' XFSZ; ulimit -f 0; timeout 20 "$S" run --ipa-limit 40 --dump-dtb "$t/out/x.dtb" 2>&1); rc=$?
if [ "$rc" = 1 ] && grep -qF "cannot write: File too large" <<<"$out" && [ "$(cat "$t/out/x.dtb")" = previous ] &&
   [ "$(ls "$t/out")" = x.dtb ]; then ok; else bad "--dtb-out failing: exit $rc, $(ls "$t/out"), $(head -c 20 "$t/out/x.dtb"): $out"; fi
expect 0 "" -- --ipa-limit 40 --dump-dtb "$t/out/x.dtb"
if [ "$(head -c 4 "$t/out/x.dtb" | od -An -tx1 | tr -d ' ')" = d00dfeed ] && [ "$(ls "$t/out")" = x.dtb ] &&
   [ "$(stat -c %a "$t/out/x.dtb")" = 640 ]; then ok; else bad "--dtb-out over a file: $(ls -l "$t/out")"; fi
for h in "run --help" "--help" "help"; do
	out=$("$S" $h 2>&1 >/dev/full); rc=$?
	if [ "$rc" = 1 ] && grep -qF -- "--help: cannot write to stdout: No space left on device" <<<"$out"; then ok
	else bad "s2vmm $h >/dev/full: exit $rc: $out"; fi
done
out=$("$S" run --ipa-limit 40 --print-layout 2>&1 >/dev/full); rc=$?
if [ "$rc" = 1 ] && grep -qF "cannot write to stdout" <<<"$out"; then ok; else bad "--print-layout >/dev/full: exit $rc: $out"; fi

# Disks (kvmtool's -d FILE[,ro]): opened and locked before KVM; missing,
# a directory, or locked by another process (flock(1), or a POSIX record
# lock, which conflicts with s2vmm's open-file-description lock) is
# refused, naming the file.
head -c 1048576 /dev/zero > "$t/disk.img"
expect 2 "--disk '$t/none.img': No such file or directory" -- --ipa-limit 40 --print-layout -d "$t/none.img"
expect 2 "--disk '$t': is a directory" -- --ipa-limit 40 --print-layout -d "$t"
expect 2 "--disk x,rw: the only option after the file is ',ro'" -- --ipa-limit 40 --print-layout -d x,rw
expect 0 "PCI 00:00.0 (virtio-blk disk): virtio-pci" -- --ipa-limit 40 --print-layout -d "$t/disk.img"
head -c 512 /dev/zero > "$t/sector.img"
expect 0 "PCI 00:01.0 (virtio-blk disk): virtio-pci" -- --ipa-limit 40 --print-layout -d "$t/disk.img,ro" \
	-d "$t/sector.img,ro" --rng
# A FIFO is refused, not waited on for a writer (read-only opens block);
# a file of less than a sector is a disk of capacity 0; one file behind
# two disks, either writable, is refused by name, not as a lock.
expect 2 "--disk '$t/fifo': is a FIFO, not a regular file or block device" -- --ipa-limit 40 --print-layout -d "$t/fifo,ro"
expect 2 "--disk '$t/raw' is 9 bytes, less than one 512-byte sector" -- --ipa-limit 40 --print-layout -d "$t/raw,ro"
expect 2 "--disk '$t/empty' is 0 bytes, less than one 512-byte sector" -- --ipa-limit 40 --print-layout -d "$t/empty"
expect 2 "--disk '$t/./disk.img' is the same file as --disk '$t/disk.img' (disk 0)" \
	-- --ipa-limit 40 --print-layout -d "$t/disk.img" -d "$t/./disk.img,ro"
expect 0 "PCI 00:01.0 (virtio-blk disk)" -- --ipa-limit 40 --print-layout -d "$t/disk.img,ro" -d "$t/./disk.img,ro"
head -c 1000 /dev/zero > "$t/odd.img"
expect 0 "disk '$t/odd.img': the last 488 bytes are not a whole 512-byte sector" -- --ipa-limit 40 --print-layout -d "$t/odd.img"
# The holders say when they hold the lock (a loaded machine is slow).
held() { local i; for i in $(seq 100); do [ -e "$t/held" ] && break; sleep 0.1; done; rm -f "$t/held"; }
flock -o "$t/disk.img" sh -c "touch '$t/held'; sleep 30" & lk=$!   # -o: the child has no lock fd
held
expect 2 "--disk '$t/disk.img': locked by another process" -- --ipa-limit 40 --print-layout -d "$t/disk.img"
expect 2 "--disk '$t/disk.img': locked by another process" -- --ipa-limit 40 --print-layout -d "$t/disk.img,ro"
kill $lk 2>/dev/null; wait $lk 2>/dev/null
python3 -c 'import fcntl, sys, time; f = open(sys.argv[1], "r+"); fcntl.lockf(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close(); time.sleep(30)' "$t/disk.img" "$t/held" & lk=$!
held
expect 2 "--disk '$t/disk.img': locked by another process" -- --ipa-limit 40 --print-layout -d "$t/disk.img"
kill $lk 2>/dev/null; wait $lk 2>/dev/null
expect 0 "virtio-blk disk" -- --ipa-limit 40 --print-layout -d "$t/disk.img"

echo "bad-input (s2vmm host build): $pass passed, $fail failed"
[ "$fail" = 0 ]

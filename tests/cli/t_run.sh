# run: scripts of table operations. Expectations come from the
# architecture (which levels hold blocks, translation = PA + offset, the
# level a walk stops at) and translations QEMU 7.2's MMU made.

# script LINES...: the lines as a file, for `run FILE`.
script() { printf '%s\n' "$@" >"$TMP/script"; }
# Line N of OUT.
line() { sed -n "${1}p" <<<"$OUT"; }
# is_line N FILTER EXPECTED: jq on line N.
is_line() {
	local got
	got=$(line "$1" | jq -r "$2" 2>&1)
	[[ $got == "$3" ]] && ok || bad "line $1: $2 = '$got', expected '$3' (line: $(line "$1"))"
}

# The largest legal block where IPA and PA are aligned (4K: 1G at level
# 1, 2M at level 2, pages at level 3); the PA is the mapped one plus the
# offset; protections come back as given.
script "map 0 2M 0x80000000 rw" "map 0x40000000 1G 0xc0000000 rwx" "map 0x80000000 2M 0x1000 r" \
       "translate 0x1234" "translate 0x40001234" "translate 0x801f0fff" "translate 0x80200000" \
       "map 0x90000000 4K 0x9000000 r,device" "translate 0x90000010" \
       "  # a comment line" "" "translate 0x1ffff # trailing comment"
run run "$TMP/script" && {
	is_rc 0
	is_line 1 tojson '{"op":"map","rc":0}'
	is_line 4 '[.ipa, .pa, .prot, .level] | map(tostring) | join(" ")' "0x1234 0x80001234 rw 2"
	is_line 5 '[.pa, .prot, .level] | map(tostring) | join(" ")' "0xc0001234 rwx 1"
	is_line 6 '[.pa, .prot, .level] | map(tostring) | join(" ")' "0x1f1fff r 3"
	# Next to a mapped range: the L3 table is absent, the walk stops at
	# the invalid level-2 entry.
	is_line 7 '[.fault, .level] | map(tostring) | join(" ")' "translation 2"
	is_line 9 '[.pa, .prot] | map(tostring) | join(" ")' "0x9000010 r,device"
	is_line 10 .pa 0x8001ffff
	[[ $(wc -l <<<"$OUT") == 10 ]] && ok || bad "expected 10 JSON lines (comments and blanks print nothing)"
}
# A fresh table faults at the start level: 4K/40 level 1; 4K LPA2/52 with
# start level -1 (QEMU 7.2: its fault status is 0x2b, level -1).
script "translate 0x1000"
run run "$TMP/script" && is_line 1 '[.fault, .level] | map(tostring) | join(" ")' "translation 1"
run run --granule 4k --ipa-bits 52 --lpa2 --start-level -1 "$TMP/script" && is_line 1 .level -1
# Beyond the IPA size: a translation fault.
script "translate 0x10000000000"
run run "$TMP/script" && is_line 1 .fault translation

# 64K, 52 bits (QEMU 7.2: IPA 0x000F123456785123 -> PA 0x000abcdef0125123).
script "map 0xF123456780000 64K 0xabcdef0120000 rw" "translate 0xF123456785123" \
       "map 0x40000000000 4T 0x40000000000 r" "translate 0x40000001000" \
       "map 0x20000000 512M 0x20000000 r" "translate 0x20000004"
run run --granule 64k --ipa-bits 52 "$TMP/script" && {
	is_rc 0
	is_line 2 '[.pa, .level] | map(tostring) | join(" ")' "0xabcdef0125123 3"
	is_line 4 .level 1      # 4T blocks at level 1 with a 52-bit PA (LPA)
	is_line 6 .level 2; }   # 512M blocks at level 2
# 4K with LPA2: a 512G block at level 0 (legal with DS=1), and a
# PA above 2^50 (OA[51:50] in bits [9:8]).
script "map 0x8000000000 512G 0xf008000000000 rw" "translate 0x8000000abc"
run run --granule 4k --ipa-bits 52 --lpa2 "$TMP/script" && {
	is_rc 0; is_line 2 '[.pa, .level] | map(tostring) | join(" ")' "0xf008000000abc 0"; }
# Without LPA2 that PA is beyond the 48-bit PS; the empty table faults at
# its start level, 0.
run run --granule 4k --ipa-bits 48 "$TMP/script" && {
	is_line 1 .error ERANGE; is_line 2 '[.pa, .level] | map(tostring) | join(" ")' "null 0"; }
# Without LPA2 level 0 holds no blocks: 512G becomes 1G blocks.
script "map 0x8000000000 512G 0x8000000000 rw" "translate 0x8000000abc"
run run --granule 4k --ipa-bits 48 "$TMP/script" && is_line 2 .level 1
# 16K: 32M blocks at level 2; 64G at level 1 only with LPA2.
script "map 0x1000000000 64G 0x1000000000 rw" "translate 0x1000000000"
run run --granule 16k --ipa-bits 48 "$TMP/script" && is_line 2 .level 2
run run --granule 16k --ipa-bits 48 --lpa2 "$TMP/script" && is_line 2 .level 1
# pages: no blocks even where they would fit.
script "map 0 2M 0 rw pages" "translate 0x1000"
run run "$TMP/script" && is_line 2 .level 3

# Errors the library reports go on as JSON lines (exit 1 at the end).
script "map 0x10000000000 4K 0 rw" "map 0 4K 0x10000000000 rw" "map 0x800 4K 0 rw" \
       "map 0 0 0 rw" "map 0 4K 0 x,device" "translate 0" "protect 0 4K rw,device"
run run "$TMP/script" && {
	is_rc 1
	is_line 1 '[.op, .error, .line] | map(tostring) | join(" ")' "map ERANGE 1"   # IPA beyond 40 bits
	is_line 2 .error ERANGE                                                      # PA beyond PS
	is_line 3 .error EINVAL                                                      # misaligned
	is_line 4 .error EINVAL                                                      # size 0
	is_line 5 .error EINVAL                                                      # executable device
	is_line 6 .fault translation
	is_line 7 .error EINVAL
	is_line 1 '.message | length > 10' true; }

# S2AP and XN are independent: write-only, execute-only and write+execute
# without read map and protect like any other mix.
script "map 0 4K 0 w" "map 0x1000 4K 0 x" "map 0x2000 4K 0 wx" "protect 0x1000 4K w" \
       "translate 0" "translate 0x1000" "translate 0x2000"
run run "$TMP/script" && {
	is_rc 0
	is_line 5 .prot w; is_line 6 .prot w; is_line 7 .prot wx; }

# Dirty logging: wrprotect keeps the mapping but drops W; the software
# write-fault path restores it; harvest reports the page.
script "map 0 8K 0x80000000 rw" "wrprotect 0 8K" "translate 0" "mark-dirty 0x1000" \
       "translate 0x1000" "harvest 0 8K" "harvest 0 8K"
run run "$TMP/script" && {
	is_line 3 '[.prot, .dirty_log] | map(tostring) | join(" ")' "r true"
	is_line 4 .logging_fault true
	is_line 5 .prot rw
	is_line 6 '[.dirty, (.pages | join(" "))] | map(tostring) | join(" ")' "1 0x1000"
	is_line 7 .dirty 0; }
# Access flag: mkold clears AF on every leaf, mkyoung sets one back.
script "map 0 8K 0 rw" "mkold 0 8K" "translate 0" "mkyoung 0" "translate 0" "mkyoung 0"
run run "$TMP/script" && {
	is_line 2 .young 2; is_line 3 .young false; is_line 4 .was_old true; is_line 5 .young true
	is_line 6 .was_old false; }
# split/collapse: a 2M block becomes 512 pages and back.
script "map 0 2M 0x200000 rw" "split 0 2M" "translate 0x3000" "collapse 0 2M" "translate 0x3000"
run run "$TMP/script" && { is_line 3 '[.pa, .level] | map(tostring) | join(" ")' "0x203000 3"
	is_line 4 .blocks 1; is_line 5 '[.pa, .level] | map(tostring) | join(" ")' "0x203000 2"; }
# Table memory: a 4K/40 root is two concatenated 4K tables; one page
# mapped needs an L2 and an L3 table; unmapping frees them again.
script "stats" "map 0 4K 0 rw" "stats" "unmap 0 4K" "stats"
run run "$TMP/script" && {
	is_line 1 .table_bytes 8192; is_line 3 .table_bytes $((8192 + 2 * 4096)); is_line 5 .table_bytes 8192; }
script "dump"
run run "$TMP/script" && is_line 1 '.lines[0] | test("40 bits")' true
# stdin
run run - && is_rc 0

# Script errors: exit 2, naming the file and line; the script stops.
script "map 0 4K 0 rw" "frob 1 2"
run run "$TMP/script" && { is_rc 2; has_err "$TMP/script:2"; has_err "unknown operation 'frob'"; has_err "map, unmap"
	is_line 1 .rc 0; }
script "" "map 0 4K 0x40x rw"
run run "$TMP/script" && { is_rc 2; has_err ":2:"; has_err "'0x40x'"; has_err "not a number"; }
script "map 0 4K 0"
run run "$TMP/script" && { is_rc 2; has_err ":1:"; has_err "map IPA SIZE PA PROT"; }
script "map 0 4K 0 rwq"
run run "$TMP/script" && { is_rc 2; has_err "'rwq'"; has_err "rwx"; }
script "map 0 4K 0 rw blocks"
run run "$TMP/script" && { is_rc 2; has_err "'blocks'"; has_err pages; }
script "dump now"
run run "$TMP/script" && { is_rc 2; has_err "dump takes 0 arguments"; }
usage_err run "$TMP/nonexistent" -- "cannot read script" nonexistent
usage_err run -- "missing SCRIPT"
usage_err run --ipa-bits 53 "$TMP/script" -- "32..52"
# Geometry the library refuses: exit 1 before any line runs.
run run --granule 4k --ipa-bits 52 "$TMP/script" && { is_rc 1; is_j .error EINVAL; }

# Table memory runs out: ENOMEM, and the table is exactly as before (only
# the 8 KiB root is held).
script "map 0 1G 0 rw pages" "stats" "translate 0"
run run --table-memory 0x100000 "$TMP/script" && {
	is_rc 1; is_line 1 .error ENOMEM; is_line 2 .table_bytes 8192; is_line 3 .fault translation; }
usage_err run --table-memory 12 "$TMP/script" -- "64 KiB.." "physical memory"

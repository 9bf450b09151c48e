# virtio-limit: a 32-bit queue PFN in 4 KiB (legacy PCI) or GuestPageSize
# (legacy MMIO) units: legacy virtio-pci works up to 44 bits of PA,
# virtio-mmio (64K pages) up to 48.

run virtio-limit --transport pci-legacy --json && {
	is_rc 0; is_json; is_hex .limit $((1 << 44)); is_j .limit_bits 44; is_j .pfn_unit 4096
	is_hex .highest_address $(((1 << 44) - 1)); }
run virtio-limit --transport mmio-legacy --guest-page 64k --json && { is_hex .limit $((1 << 48)); is_j .limit_bits 48; }
run virtio-limit --transport mmio-legacy --guest-page 16k --json && is_j .limit_bits 46
run virtio-limit --transport mmio-legacy --json && is_j .limit_bits 44
# RAM ending exactly at the limit fits; one page more does not (exit 1).
run virtio-limit --transport pci-legacy --ram-end $((1 << 44)) --json && { is_rc 0; is_j .fits true; }
run virtio-limit --transport pci-legacy --ram-end $(((1 << 44) + 4096)) --json && {
	is_rc 1; is_j .fits false; is_j '.message | test("0x100000000000")' true; }
run virtio-limit --transport mmio-legacy --guest-page 64k --ram-end $((1 << 48)) && { is_rc 0; has_out fits; }
run virtio-limit --transport mmio-legacy --ram-end $((1 << 48)) && { is_rc 1; has_out "0x100000000000"; }
usage_err virtio-limit --transport pci-legacy --guest-page 64k -- "mmio-legacy"
usage_err virtio-limit --transport usb -- usb mmio-legacy pci-legacy
usage_err virtio-limit -- "--transport"
usage_err virtio-limit --transport mmio-legacy --guest-page 8k -- 8k 4k

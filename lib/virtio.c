/* SPDX-License-Identifier: MIT */
/*
 * Legacy virtio queue PFNs (virtio 1.x spec, 4.2.4 "Legacy interface"
 * for MMIO and 4.1.4.8 for PCI): a 32-bit PFN in GuestPageSize units
 * (mmio v1) or 4 KiB units (pci legacy).
 */
#include <s2/virtio.h>

static unsigned unit_shift(enum s2_virtio_transport t, unsigned guest_page_shift)
{
	if (t == S2_VIRTIO_PCI_LEGACY)
		return 12;
	if (t != S2_VIRTIO_MMIO_V1)
		return 0;
	return guest_page_shift >= 12 && guest_page_shift <= 16 ? guest_page_shift : 0;
}

/* The message for a unit_shift() of 0: an unknown transport or page size. */
static int bad_unit(enum s2_virtio_transport t, unsigned guest_page_shift, struct s2_diag *d)
{
	if (t != S2_VIRTIO_PCI_LEGACY && t != S2_VIRTIO_MMIO_V1)
		return s2_diag_set(d, S2_EINVAL,
				   "virtio transport %u is not legacy virtio-mmio (%u) or legacy virtio-pci (%u)",
				   (unsigned)t, (unsigned)S2_VIRTIO_MMIO_V1,
				   (unsigned)S2_VIRTIO_PCI_LEGACY);
	return s2_diag_set(d, S2_EINVAL, "guest page shift %u is outside 12..16 (4 KiB..64 KiB)",
			   guest_page_shift);
}

static const char *tname(enum s2_virtio_transport t)
{
	return t == S2_VIRTIO_PCI_LEGACY ? "legacy virtio-pci" : "legacy virtio-mmio";
}

uint64_t s2_virtio_legacy_limit(enum s2_virtio_transport t, unsigned guest_page_shift)
{
	unsigned s = unit_shift(t, guest_page_shift);

	return s ? 1ULL << (32 + s) : S2_VIRTIO_LIMIT_INVALID;
}

int s2_virtio_legacy_check_ram(enum s2_virtio_transport t, unsigned guest_page_shift,
			       s2_ipa_t ram_end, struct s2_diag *d)
{
	uint64_t lim = s2_virtio_legacy_limit(t, guest_page_shift);

	if (lim == S2_VIRTIO_LIMIT_INVALID)
		return bad_unit(t, guest_page_shift, d);
	if (ram_end.v > lim)
		return s2_diag_set(d, S2_ERANGE,
				   "%s cannot use RAM above %#llx (%llu GiB: 32-bit queue PFN in %u KiB units); RAM ends at %#llx",
				   tname(t), (unsigned long long)lim, (unsigned long long)(lim >> 30),
				   (1u << unit_shift(t, guest_page_shift)) >> 10,
				   (unsigned long long)ram_end.v);
	return 0;
}

int s2_virtio_legacy_pfn(enum s2_virtio_transport t, unsigned guest_page_shift,
			 s2_ipa_t queue, uint32_t *pfn, struct s2_diag *d)
{
	unsigned s = unit_shift(t, guest_page_shift);

	if (!s)
		return bad_unit(t, guest_page_shift, d);
	if (queue.v & ((1ULL << s) - 1))
		return s2_diag_set(d, S2_EINVAL, "queue at %#llx is not aligned to %u bytes",
				   (unsigned long long)queue.v, 1u << s);
	if ((queue.v >> s) >> 32)
		return s2_diag_set(d, S2_ERANGE,
				   "%s queue at %#llx needs PFN %#llx, more than 32 bits; the highest RAM address a legacy queue can use is %#llx",
				   tname(t), (unsigned long long)queue.v,
				   (unsigned long long)(queue.v >> s),
				   (unsigned long long)((1ULL << (32 + s)) - 1));
	*pfn = (uint32_t)(queue.v >> s);
	return 0;
}

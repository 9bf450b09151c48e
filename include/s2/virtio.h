/* SPDX-License-Identifier: MIT */
/*
 * Legacy virtio queue-PFN limits. Legacy transports hand the device a
 * 32-bit page frame number for the whole virtqueue:
 *   virtio-mmio v1: QueuePFN in units of GuestPageSize;
 *   virtio-pci legacy: VIRTIO_PCI_QUEUE_PFN in 4 KiB units.
 * RAM at or above 2^32 units cannot hold a legacy virtqueue.
 */
#ifndef S2_VIRTIO_H
#define S2_VIRTIO_H

#include <s2/err.h>
#include <s2/types.h>

enum s2_virtio_transport {
	S2_VIRTIO_MMIO_V1,      /* legacy virtio-mmio */
	S2_VIRTIO_PCI_LEGACY,
};

/* s2_virtio_legacy_limit() for a page shift outside 12..16. */
#define S2_VIRTIO_LIMIT_INVALID 0ULL

/**
 * s2_virtio_legacy_limit() - first guest address a legacy queue of
 * transport @t cannot use: 2^(32 + log2 unit). @guest_page_shift is GuestPageSize for mmio v1
 * (12..16), ignored for pci legacy (always 12).
 * Return: the limit, or S2_VIRTIO_LIMIT_INVALID for a page shift outside
 * 12..16 (mmio v1) or a @t that is not an enum s2_virtio_transport value.
 */
uint64_t s2_virtio_legacy_limit(enum s2_virtio_transport t, unsigned guest_page_shift);

/**
 * s2_virtio_legacy_pfn() - *@pfn, the PFN to program on transport @t
 * for a queue at @queue.
 * @guest_page_shift: as for s2_virtio_legacy_limit().
 * @d: message on failure (may be NULL).
 * Return: 0 and *@pfn; S2_EINVAL for an unknown @t or a bad page shift (as
 * for s2_virtio_legacy_limit()), or if @queue is not aligned to the unit;
 * S2_ERANGE if the PFN would need more than 32 bits (message gives the
 * highest RAM address a legacy queue can use).
 */
int s2_virtio_legacy_pfn(enum s2_virtio_transport t, unsigned guest_page_shift,
			 s2_ipa_t queue, uint32_t *pfn, struct s2_diag *d);

/**
 * s2_virtio_legacy_check_ram() - can legacy transport @t (with
 * @guest_page_shift as for s2_virtio_legacy_limit()) serve a guest whose
 * RAM ends at @ram_end (exclusive)? @d: message on failure (may be NULL).
 * Return: 0, S2_EINVAL for an unknown @t or a bad page shift (as for
 * s2_virtio_legacy_limit()), or S2_ERANGE with a message naming RAM end
 * and the limit.
 */
int s2_virtio_legacy_check_ram(enum s2_virtio_transport t, unsigned guest_page_shift,
			       s2_ipa_t ram_end, struct s2_diag *d);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Legacy virtio queue-PFN limits (virtio 1.x, 4.2.4 legacy MMIO: QueuePFN
 * in GuestPageSize units; 4.1.4.8 legacy PCI: 4 KiB units). The PFN
 * register is 32 bits, so RAM at or above 2^(32 + unit shift) cannot hold
 * a queue: virtio-pci legacy up to a 44-bit PA, virtio-mmio up to 48 bits
 * (with 64K guest pages).
 */
#include "unit.h"
#include <s2/virtio.h>

static const struct {
	enum s2_virtio_transport t;
	const char *name;
} transports[] = {
	{ S2_VIRTIO_MMIO_V1, "mmio v1" },
	{ S2_VIRTIO_PCI_LEGACY, "pci legacy" },
};

/* The unit a PFN counts: GuestPageSize (2^12..2^16) for mmio, 4 KiB for
   pci whatever the guest's pages; 0 = not a valid guest page size. */
static unsigned unit_shift(enum s2_virtio_transport t, unsigned page_shift)
{
	if (t == S2_VIRTIO_PCI_LEGACY)
		return 12;
	return page_shift >= 12 && page_shift <= 16 ? page_shift : 0;
}

static void test_virtio_limits(void **state)
{
	(void)state;
	/* Written out: 4K pages 16 TiB, 16K 64 TiB, 64K 256 TiB; pci 16 TiB. */
	CHECK_EQ(s2_virtio_legacy_limit(S2_VIRTIO_MMIO_V1, 12), 16ULL << 40, "mmio 4K");
	CHECK_EQ(s2_virtio_legacy_limit(S2_VIRTIO_MMIO_V1, 14), 64ULL << 40, "mmio 16K");
	CHECK_EQ(s2_virtio_legacy_limit(S2_VIRTIO_MMIO_V1, 16), 256ULL << 40, "mmio 64K = 2^48");
	CHECK_EQ(s2_virtio_legacy_limit(S2_VIRTIO_PCI_LEGACY, 12), 1ULL << 44, "pci = 2^44");
	for (unsigned t = 0; t < ARRAY_LEN(transports); t++)
	for (unsigned s = 0; s <= 64; s++) {
		unsigned u = unit_shift(transports[t].t, s);
		CHECK_EQ(s2_virtio_legacy_limit(transports[t].t, s), u ? 1ULL << (32 + u) : 0,
			 "%s page shift %u", transports[t].name, s);
	}
}

static void test_virtio_pfn(void **state)
{
	uint64_t seed = 0x7e57;

	(void)state;
	for (unsigned t = 0; t < ARRAY_LEN(transports); t++)
	for (unsigned s = 12; s <= 16; s++) {
		unsigned u = unit_shift(transports[t].t, s);
		uint64_t unit = 1ULL << u, limit = 1ULL << (32 + u);

		for (int n = 0; n < 500; n++) {
			uint32_t k = n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 0xffffffffu :
				     (uint32_t)unit_rand(&seed);
			uint32_t pfn = 0x12345;

			CHECK_EQ(s2_virtio_legacy_pfn(transports[t].t, s, s2_ipa((uint64_t)k << u), &pfn,
						      NULL), 0, "%s shift %u pfn %#x",
				 transports[t].name, s, k);
			CHECK_EQ(pfn, k, "%s shift %u", transports[t].name, s);
		}
		/* The first unit beyond 32 bits of PFN, and far beyond. */
		const uint64_t beyond[] = { limit, limit + unit, 1ULL << 52, ~(unit - 1) };
		for (unsigned i = 0; i < ARRAY_LEN(beyond); i++) {
			struct s2_diag d = { "" };
			uint32_t pfn = 0x12345;

			CHECK_EQ(s2_virtio_legacy_pfn(transports[t].t, s, s2_ipa(beyond[i]), &pfn, &d),
				 S2_ERANGE, "%s shift %u queue %#llx", transports[t].name, s,
				 (unsigned long long)beyond[i]);
			CHECK_EQ(pfn, 0x12345, "%s: output untouched", transports[t].name);
			CHECK_MSG_HEX(d.msg, beyond[i], "%s shift %u", transports[t].name, s);
			/* ...and the highest address a legacy queue can use. */
			CHECK_MSG_HEX(d.msg, limit - 1, "%s shift %u", transports[t].name, s);
		}
		/* Misaligned to the unit. */
		for (unsigned b = 0; b < u; b++) {
			struct s2_diag d = { "" };
			uint32_t pfn;
			uint64_t q = 0x40000000ULL | 1ULL << b;

			CHECK_EQ(s2_virtio_legacy_pfn(transports[t].t, s, s2_ipa(q), &pfn, &d), S2_EINVAL,
				 "%s shift %u queue %#llx", transports[t].name, s, (unsigned long long)q);
			CHECK_MSG_HEX(d.msg, q, "%s", transports[t].name);
		}
	}
	/* mmio v1 needs a real guest page size. */
	for (unsigned s = 0; s <= 20; s++) {
		uint32_t pfn;
		if (s >= 12 && s <= 16)
			continue;
		CHECK_EQ(s2_virtio_legacy_pfn(S2_VIRTIO_MMIO_V1, s, s2_ipa(0), &pfn, NULL), S2_EINVAL,
			 "shift %u", s);
		CHECK_EQ(s2_virtio_legacy_check_ram(S2_VIRTIO_MMIO_V1, s, s2_ipa(1ULL << 30), NULL), S2_EINVAL,
			 "shift %u", s);
	}
}

/* RAM ending (exclusive) exactly at the limit is fine; a byte more is not. */
static void test_virtio_check_ram(void **state)
{
	(void)state;
	for (unsigned t = 0; t < ARRAY_LEN(transports); t++)
	for (unsigned s = 12; s <= 16; s++) {
		uint64_t limit = 1ULL << (32 + unit_shift(transports[t].t, s));
		const uint64_t ok[] = { 0, 1ULL << 30, limit - 1, limit };
		const uint64_t bad[] = { limit + 1, limit << 1, 1ULL << 52 };

		for (unsigned i = 0; i < ARRAY_LEN(ok); i++)
			CHECK_EQ(s2_virtio_legacy_check_ram(transports[t].t, s, s2_ipa(ok[i]), NULL), 0,
				 "%s shift %u RAM end %#llx", transports[t].name, s,
				 (unsigned long long)ok[i]);
		for (unsigned i = 0; i < ARRAY_LEN(bad); i++) {
			struct s2_diag d = { "" };

			CHECK_EQ(s2_virtio_legacy_check_ram(transports[t].t, s, s2_ipa(bad[i]), &d), S2_ERANGE,
				 "%s shift %u RAM end %#llx", transports[t].name, s,
				 (unsigned long long)bad[i]);
			CHECK_MSG_HEX(d.msg, bad[i], "%s shift %u", transports[t].name, s);
			CHECK_MSG_HEX(d.msg, limit, "%s shift %u", transports[t].name, s);
		}
	}
}

/* A transport outside the enum is neither legacy transport: no limit, no
   PFN (*pfn untouched), and the message names it. */
static void test_virtio_bad_transport(void **state)
{
	static const unsigned ts[] = { 2, 3, 100, 0xffffffffu };

	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(ts); i++) {
		enum s2_virtio_transport t = (enum s2_virtio_transport)ts[i];
		struct s2_diag d = { "" };
		uint32_t pfn = 0x1234;

		CHECK_EQ(s2_virtio_legacy_limit(t, 12), S2_VIRTIO_LIMIT_INVALID, "transport %u", ts[i]);
		CHECK_EQ(s2_virtio_legacy_pfn(t, 12, s2_ipa(0x1000), &pfn, &d), S2_EINVAL,
			 "transport %u", ts[i]);
		CHECK_EQ(pfn, 0x1234, "transport %u: *pfn untouched", ts[i]);
		CHECK_MSG_DEC(d.msg, ts[i], "transport %u", ts[i]);
		d.msg[0] = 0;
		CHECK_EQ(s2_virtio_legacy_check_ram(t, 12, s2_ipa(0x1000), &d), S2_EINVAL,
			 "transport %u", ts[i]);
		CHECK_MSG_DEC(d.msg, ts[i], "transport %u", ts[i]);
	}
}

static const struct CMUnitTest tests[] = {
	UNIT_TEST(test_virtio_limits),
	UNIT_TEST(test_virtio_pfn),
	UNIT_TEST(test_virtio_check_ram),
	UNIT_TEST(test_virtio_bad_transport),
};

UNIT_MAIN("virtio", tests)

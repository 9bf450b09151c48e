/* SPDX-License-Identifier: MIT */
/*
 * Host capability (ID_AA64MMFR{0,1,2}_EL1 decoding) and the host IPA limit
 * (what KVM_CAP_ARM_VM_IPA_SIZE would report).
 *
 * Field layouts are written out here from the Arm ARM (D19,
 * ID_AA64MMFR0_EL1, ID_AA64MMFR1_EL1, ID_AA64MMFR2_EL1); the limit rules
 * from Linux's kvm_set_ipa_limit() (arch/arm64/kvm/reset.c).
 */
#include "unit.h"
#include <s2/host.h>

/* PARange encodings 0..6 (Arm ARM, ID_AA64MMFR0_EL1.PARange). */
static const unsigned pa_sizes[] = { 32, 36, 40, 42, 44, 48, 52 };

/* ID_AA64MMFR0_EL1 field positions. */
#define PARANGE_SHIFT   0
#define TGRAN16_SHIFT   20
#define TGRAN64_SHIFT   24
#define TGRAN4_SHIFT    28
#define TGRAN16_2_SHIFT 32
#define TGRAN64_2_SHIFT 36
#define TGRAN4_2_SHIFT  40

/* Stage-1 TGranX values meaning "supported" and "not supported". */
#define TG4_YES   0x0ULL
#define TG4_52    0x1ULL   /* FEAT_LPA2 */
#define TG4_NO    0xfULL
#define TG16_NO   0x0ULL
#define TG16_YES  0x1ULL
#define TG16_52   0x2ULL   /* FEAT_LPA2 */
#define TG64_YES  0x0ULL
#define TG64_NO   0xfULL
/* TGranX_2: 0 = as the stage-1 field, 1 = no, 2 = yes, 3 = yes with 52 bits. */
#define TG2_AS_S1 0x0ULL
#define TG2_NO    0x1ULL
#define TG2_YES   0x2ULL
#define TG2_52    0x3ULL

static uint64_t mmfr0(unsigned parange, uint64_t tg4, uint64_t tg16, uint64_t tg64,
		      uint64_t tg4_2, uint64_t tg16_2, uint64_t tg64_2)
{
	return ((uint64_t)parange << PARANGE_SHIFT) | (tg16 << TGRAN16_SHIFT) |
	       (tg64 << TGRAN64_SHIFT) | (tg4 << TGRAN4_SHIFT) |
	       (tg16_2 << TGRAN16_2_SHIFT) | (tg64_2 << TGRAN64_2_SHIFT) |
	       (tg4_2 << TGRAN4_2_SHIFT);
}

static const enum s2_granule granules[] = { S2_GRANULE_4K, S2_GRANULE_16K, S2_GRANULE_64K };
static const char *const gname[] = { "4K", "16K", "64K" };

static void test_parange_helpers(void **state)
{
	(void)state;
	for (unsigned enc = 0; enc < 16; enc++)
		CHECK_EQ(s2_parange_bits(enc), enc < 7 ? (int)pa_sizes[enc] : S2_EINVAL,
			 "PARange %u", enc);
	for (unsigned bits = 0; bits <= 64; bits++) {
		int enc = S2_EINVAL, up = S2_ERANGE;

		for (unsigned i = 0; i < ARRAY_LEN(pa_sizes); i++)
			if (pa_sizes[i] == bits)
				enc = (int)i;
		for (int i = (int)ARRAY_LEN(pa_sizes) - 1; i >= 0; i--)
			if (pa_sizes[i] >= bits)
				up = (int)pa_sizes[i];
		CHECK_EQ(s2_parange_enc(bits), enc, "%u bits", bits);
		CHECK_EQ(s2_parange_round_up(bits), up, "%u bits", bits);
	}
}

/* PARange 0..6 map to the seven sizes; later encodings only ever mean a
   larger PA, so they read as 52 (as Linux's id_aa64mmfr0_parange_to_phys_shift
   clamps). FEAT_LPA is PARange = 52 bits. */
static void test_caps_parange(void **state)
{
	(void)state;
	for (unsigned enc = 0; enc < 16; enc++) {
		struct s2_id_regs r = { mmfr0(enc, TG4_YES, TG16_YES, TG64_YES,
					      TG2_AS_S1, TG2_AS_S1, TG2_AS_S1), 0, 0 };
		struct s2_host_caps c;
		unsigned want = enc < 7 ? pa_sizes[enc] : 52;

		memset(&c, 0xa5, sizeof(c));
		CHECK_EQ(s2_host_caps_decode(&r, &c, NULL), 0, "PARange %u", enc);
		CHECK_EQ(c.parange, enc, "PARange %u", enc);
		CHECK_EQ(c.pa_bits, want, "PARange %u", enc);
		CHECK_EQ(c.lpa, want == 52, "PARange %u", enc);
		CHECK_EQ(c.gran[2].s2_52, want == 52, "PARange %u: 64K reaches 52 bits only with LPA", enc);
	}
}

struct s1_value { uint64_t v; bool yes, b52; };

/* Defined stage-1 values per granule (reserved ones are not decoded). */
static const struct s1_value s1_4k[] = {
	{ TG4_YES, true, false }, { TG4_52, true, true }, { TG4_NO, false, false } };
static const struct s1_value s1_16k[] = {
	{ TG16_NO, false, false }, { TG16_YES, true, false }, { TG16_52, true, true } };
static const struct s1_value s1_64k[] = {
	{ TG64_YES, true, false }, { TG64_NO, false, false } };

/*
 * Each granule's stage-2 support: TGranX_2 = 0 defers to the stage-1
 * field, 1 = no, 2 = yes, 3 = yes with 52-bit addresses (4K/16K: FEAT_LPA2).
 * 64K has no LPA2 encoding; its 52 bits come from FEAT_LPA (PARange = 52).
 * The other two granules stay usable so that decoding succeeds.
 */
static void test_caps_granules(void **state)
{
	(void)state;
	for (unsigned gi = 0; gi < 3; gi++) {
		const struct s1_value *s1 = gi == 0 ? s1_4k : gi == 1 ? s1_16k : s1_64k;
		unsigned n1 = gi == 0 ? ARRAY_LEN(s1_4k) : gi == 1 ? ARRAY_LEN(s1_16k) : ARRAY_LEN(s1_64k);
		unsigned n2 = gi == 2 ? 3 : 4;

		for (unsigned parange = 5; parange <= 6; parange++)
		for (unsigned i = 0; i < n1; i++)
		for (uint64_t t2 = 0; t2 < n2; t2++) {
			uint64_t tg[3] = { TG4_YES, TG16_YES, TG64_YES };
			uint64_t tg2[3] = { TG2_YES, TG2_YES, TG2_YES };
			struct s2_id_regs r = { 0, 0, 0 };
			struct s2_host_caps c;
			bool yes, b52;

			tg[gi] = s1[i].v;
			tg2[gi] = t2;
			r.mmfr0 = mmfr0(parange, tg[0], tg[1], tg[2], tg2[0], tg2[1], tg2[2]);
			if (t2 == TG2_AS_S1) {
				yes = s1[i].yes;
				b52 = s1[i].b52;
			} else {
				yes = t2 >= TG2_YES;
				b52 = t2 == TG2_52;
			}
			if (gi == 2)
				b52 = yes && parange == 6;

			memset(&c, 0, sizeof(c));
			CHECK_EQ(s2_host_caps_decode(&r, &c, NULL), 0, "%s mmfr0 %#llx", gname[gi],
				 (unsigned long long)r.mmfr0);
			CHECK_EQ(c.gran[gi].s2, yes, "%s mmfr0 %#llx", gname[gi],
				 (unsigned long long)r.mmfr0);
			if (gi == 2 || parange == 6)
				CHECK_EQ(c.gran[gi].s2_52, b52, "%s mmfr0 %#llx", gname[gi],
					 (unsigned long long)r.mmfr0);
			for (unsigned o = 0; o < 3; o++)
				if (o != gi)
					CHECK_EQ(c.gran[o].s2, true, "%s unaffected by %s fields",
						 gname[o], gname[gi]);
			if (gi != 2 && parange == 6) {
				/* The other LPA2 granule is at TG2_YES: no LPA2 there. */
				CHECK_EQ(c.lpa2, b52, "%s mmfr0 %#llx", gname[gi],
					 (unsigned long long)r.mmfr0);
			}
		}
	}
}

static void test_caps_no_granule(void **state)
{
	(void)state;
	/* No granule at stage 2, through either field encoding. */
	const uint64_t regs[] = {
		mmfr0(5, TG4_NO, TG16_NO, TG64_NO, TG2_AS_S1, TG2_AS_S1, TG2_AS_S1),
		mmfr0(5, TG4_YES, TG16_YES, TG64_YES, TG2_NO, TG2_NO, TG2_NO),
		mmfr0(6, TG4_52, TG16_52, TG64_NO, TG2_NO, TG2_NO, TG2_AS_S1),
	};

	for (unsigned i = 0; i < ARRAY_LEN(regs); i++) {
		struct s2_id_regs r = { regs[i], 0, 0 };
		struct s2_host_caps c;
		struct s2_diag d = { "" };

		CHECK_EQ(s2_host_caps_decode(&r, &c, &d), S2_EINVAL, "mmfr0 %#llx",
			 (unsigned long long)regs[i]);
		CHECK_MSG_HEX(d.msg, regs[i], "mmfr0 %#llx", (unsigned long long)regs[i]);
	}
}

/* MMFR1: HAFDBS [3:0] (1 = AF, 2 = AF + dirty), VMIDBits [7:4] (0 = 8,
   2 = 16). MMFR2: TTL [51:48], BBM [55:52]. */
static void test_caps_mmfr1_mmfr2(void **state)
{
	(void)state;
	for (uint64_t vmid = 0; vmid <= 2; vmid += 2)
	for (uint64_t hafdbs = 0; hafdbs <= 2; hafdbs++)
	for (uint64_t ttl = 0; ttl <= 1; ttl++)
	for (uint64_t bbm = 0; bbm <= 2; bbm++) {
		struct s2_id_regs r = {
			mmfr0(5, TG4_YES, TG16_YES, TG64_YES, TG2_AS_S1, TG2_AS_S1, TG2_AS_S1),
			(vmid << 4) | hafdbs,
			(ttl << 48) | (bbm << 52) | (1ULL << 16) /* VARange, irrelevant */,
		};
		struct s2_host_caps c;

		CHECK_EQ(s2_host_caps_decode(&r, &c, NULL), 0, "mmfr1 %#llx",
			 (unsigned long long)r.mmfr1);
		CHECK_EQ(c.vmid_bits, vmid == 2 ? 16 : 8, "VMIDBits %llu", (unsigned long long)vmid);
		CHECK_EQ(c.ha, hafdbs >= 1, "HAFDBS %llu", (unsigned long long)hafdbs);
		CHECK_EQ(c.hd, hafdbs >= 2, "HAFDBS %llu", (unsigned long long)hafdbs);
		CHECK_EQ(c.ttl, ttl == 1, "TTL %llu", (unsigned long long)ttl);
		CHECK_EQ(c.bbm, bbm, "BBM %llu", (unsigned long long)bbm);
	}
}

/* QEMU 7.2 -cpu max, as read at EL2: ID_AA64MMFR0_EL1 = 0x0000032310201126:
   PARange 52, TGran4 = 1 and TGran16 = 2 (LPA2), TGran4_2 = TGran16_2 = 3,
   TGran64_2 = 2; MMFR1.VMIDBits = 2; MMFR2 VARange = 1, TTL = 1, BBM = 2. */
static void test_caps_qemu_max(void **state)
{
	struct s2_id_regs r = {
		0x0000032310201126ULL,
		2ULL << 4,
		(1ULL << 16) | (1ULL << 48) | (2ULL << 52),
	};
	struct s2_host_caps c;

	(void)state;
	CHECK_EQ(s2_host_caps_decode(&r, &c, NULL), 0, "qemu max");
	CHECK_EQ(c.parange, 6, "qemu max");
	CHECK_EQ(c.pa_bits, 52, "qemu max");
	CHECK_EQ(c.lpa, true, "qemu max");
	CHECK_EQ(c.lpa2, true, "qemu max");
	for (unsigned i = 0; i < 3; i++) {
		CHECK_EQ(c.gran[i].s2, true, "qemu max %s", gname[i]);
		CHECK_EQ(c.gran[i].s2_52, true, "qemu max %s", gname[i]);
	}
	CHECK_EQ(c.vmid_bits, 16, "qemu max");
	CHECK_EQ(c.ttl, true, "qemu max");
	CHECK_EQ(c.bbm, 2, "qemu max");
	CHECK_EQ(c.ha, false, "qemu max: HAFDBS not given");
}

/* QEMU's smaller models (target/arm cpu64.c): cortex-a57 0x00001124 (44-bit
   PA, no 16K at all: TGran16 = 0 and TGran16_2 = 0 "as stage 1"), cortex-a76
   0x00101122 (40 bits), neoverse-n1 0x00101125 (48 bits). None has LPA
   or LPA2. */
static void test_caps_small_models(void **state)
{
	static const struct { const char *name; uint64_t mmfr0; unsigned pa; bool g16; } m[] = {
		{ "cortex-a57", 0x00001124, 44, false },
		{ "cortex-a76", 0x00101122, 40, true },
		{ "neoverse-n1", 0x00101125, 48, true },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(m); i++) {
		struct s2_id_regs r = { m[i].mmfr0, 0, 0 };
		struct s2_host_caps c;
		struct s2_host h;
		struct s2_host_config cfg = { S2_GRANULE_16K, false, 0, S2_POLICY_INDEPENDENT, 0 };
		struct s2_diag d = { "" };

		CHECK_EQ(s2_host_caps_decode(&r, &c, NULL), 0, "%s", m[i].name);
		CHECK_EQ(c.pa_bits, m[i].pa, "%s", m[i].name);
		CHECK_EQ(c.gran[0].s2, true, "%s 4K", m[i].name);
		CHECK_EQ(c.gran[1].s2, m[i].g16, "%s 16K", m[i].name);
		CHECK_EQ(c.gran[2].s2, true, "%s 64K", m[i].name);
		CHECK_EQ(c.lpa, false, "%s", m[i].name);
		CHECK_EQ(c.lpa2, false, "%s", m[i].name);
		CHECK_EQ(c.vmid_bits, 8, "%s", m[i].name);

		/* A 16K host kernel on a CPU without 16K at stage 2 cannot run VMs. */
		if (!m[i].g16) {
			CHECK_EQ(s2_host_init(&h, &c, &cfg, &d), S2_ENOTSUP, "%s 16K", m[i].name);
			CHECK_MSG_WORD(d.msg, "16K", "%s", m[i].name);
			CHECK_MSG_HAS(d.msg, "stage 2", "%s", m[i].name);
		} else {
			CHECK_EQ(s2_host_init(&h, &c, &cfg, &d), 0, "%s 16K", m[i].name);
			CHECK_EQ(h.ipa_limit, m[i].pa, "%s 16K", m[i].name);
		}
		for (unsigned g = 0; g < 3; g += 2) {
			cfg.granule = granules[g];
			CHECK_EQ(s2_host_init(&h, &c, &cfg, NULL), 0, "%s %s", m[i].name, gname[g]);
			CHECK_EQ(h.ipa_limit, m[i].pa, "%s %s", m[i].name, gname[g]);
		}
	}
}

/* s2_id_regs_synth: every granule at stage 2, LPA2/LPA exactly when the PA
   is 52 bits, 16-bit VMIDs, HA+HD, TTL. Read back field by field. */
static void test_id_regs_synth(void **state)
{
	(void)state;
	for (unsigned bits = 0; bits <= 64; bits++) {
		struct s2_id_regs r = { 0, 0, 0 };
		int enc = -1;

		for (unsigned i = 0; i < ARRAY_LEN(pa_sizes); i++)
			if (pa_sizes[i] == bits)
				enc = (int)i;
		if (enc < 0) {
			CHECK_EQ(s2_id_regs_synth(bits, &r, NULL), S2_EINVAL, "%u bits", bits);
			continue;
		}
		CHECK_EQ(s2_id_regs_synth(bits, &r, NULL), 0, "%u bits", bits);
		unsigned parange = r.mmfr0 & 0xf;
		unsigned tg4 = (r.mmfr0 >> TGRAN4_SHIFT) & 0xf, tg4_2 = (r.mmfr0 >> TGRAN4_2_SHIFT) & 0xf;
		unsigned tg16 = (r.mmfr0 >> TGRAN16_SHIFT) & 0xf, tg16_2 = (r.mmfr0 >> TGRAN16_2_SHIFT) & 0xf;
		unsigned tg64 = (r.mmfr0 >> TGRAN64_SHIFT) & 0xf, tg64_2 = (r.mmfr0 >> TGRAN64_2_SHIFT) & 0xf;
		bool b52 = bits == 52;
		/* Stage-2 support per granule, with TGranX_2 = 0 deferring to stage 1. */
		bool s4 = tg4_2 ? tg4_2 >= 2 : tg4 != 0xf;
		bool s4_52 = tg4_2 ? tg4_2 == 3 : tg4 == 1;
		bool s16 = tg16_2 ? tg16_2 >= 2 : tg16 >= 1;
		bool s16_52 = tg16_2 ? tg16_2 == 3 : tg16 == 2;
		bool s64 = tg64_2 ? tg64_2 == 2 : tg64 == 0;

		CHECK_EQ(parange, (unsigned)enc, "%u bits", bits);
		CHECK(s4 && s16 && s64, "%u bits: every granule at stage 2", bits);
		CHECK_EQ(s4_52, b52, "%u bits: 4K LPA2", bits);
		CHECK_EQ(s16_52, b52, "%u bits: 16K LPA2", bits);
		CHECK_EQ((r.mmfr1 >> 4) & 0xf, 2, "%u bits: 16-bit VMID", bits);
		CHECK_EQ(r.mmfr1 & 0xf, 2, "%u bits: HA and HD", bits);
		CHECK_EQ((r.mmfr2 >> 48) & 0xf, 1, "%u bits: TTL", bits);
	}
}

/* Hand-built capabilities, so the limit tests do not depend on decoding. */
static struct s2_host_caps caps_of(unsigned enc, bool lpa2_cpu)
{
	struct s2_host_caps c;

	memset(&c, 0, sizeof(c));
	c.parange = enc;
	c.pa_bits = pa_sizes[enc];
	c.lpa = c.pa_bits == 52;
	c.gran[0] = (struct s2_gran_caps){ true, lpa2_cpu, lpa2_cpu };
	c.gran[1] = (struct s2_gran_caps){ true, lpa2_cpu, lpa2_cpu };
	c.gran[2] = (struct s2_gran_caps){ true, c.lpa, false };
	c.lpa2 = lpa2_cpu;
	c.vmid_bits = 16;
	return c;
}

static const unsigned kernel_pa[] = { 0, 48, 52 };

/*
 * The IPA limit (Linux 6.12 kvm_set_ipa_limit()): PARange, capped at 48
 * bits unless the granule has a 52-bit descriptor format in use: 64K with
 * FEAT_LPA, or 4K/16K with LPA2. LPA2 is in use when asked for, or when
 * the kernel's PA size is 52 (CONFIG_ARM64_LPA2 follows ARM64_PA_BITS_52)
 * and the CPU has it. The kernel's PA size caps VTCR.PS only
 * (kvm_get_vtcr(): PARANGE_MAX). Every PA size x granule x CPU LPA2 x
 * LPA2 wish x kernel PA size.
 */
static void test_ipa_limit_independent(void **state)
{
	(void)state;
	for (unsigned enc = 0; enc < 7; enc++)
	for (unsigned gi = 0; gi < 3; gi++)
	for (int cpu52 = 0; cpu52 <= 1; cpu52++)
	for (int want_lpa2 = 0; want_lpa2 <= 1; want_lpa2++)
	for (unsigned k = 0; k < ARRAY_LEN(kernel_pa); k++) {
		struct s2_host_caps c = caps_of(enc, cpu52);
		struct s2_host_config cfg = { granules[gi], want_lpa2, kernel_pa[k],
					      S2_POLICY_INDEPENDENT, 0 };
		struct s2_host h;
		struct s2_diag d = { "" };
		unsigned pa = pa_sizes[enc];
		bool lpa2_granule = gi != 2;
		int rc;

		if (want_lpa2 && lpa2_granule && !cpu52)
			continue;   /* test_ipa_limit_lpa2_missing */
		rc = s2_host_init(&h, &c, &cfg, &d);
		if (want_lpa2 && lpa2_granule && kernel_pa[k] == 48) {
			CHECK_EQ(rc, S2_EINVAL, "PA %u %s: LPA2 with a 48-bit kernel", pa, gname[gi]);
			CHECK_MSG_HAS(d.msg, "ARM64_PA_BITS_52", "PA %u %s", pa, gname[gi]);
			continue;
		}
		bool ds = lpa2_granule && (want_lpa2 || (kernel_pa[k] == 52 && cpu52));
		unsigned lim = pa;
		if (lim > 48 && !ds && !(gi == 2 && pa == 52))
			lim = 48;
		unsigned ps = kernel_pa[k] && kernel_pa[k] < lim ? kernel_pa[k] : lim;

		CHECK_EQ(rc, 0, "PA %u %s lpa2 %d/%d kernel %u", pa, gname[gi], cpu52, want_lpa2,
			 kernel_pa[k]);
		if (rc)
			continue;
		CHECK_EQ(h.ipa_limit, lim, "PA %u %s lpa2 cpu %d wanted %d kernel %u", pa,
			 gname[gi], cpu52, want_lpa2, kernel_pa[k]);
		CHECK_EQ(h.ps_bits, ps, "PA %u %s lpa2 cpu %d wanted %d kernel %u", pa,
			 gname[gi], cpu52, want_lpa2, kernel_pa[k]);
		CHECK_EQ(h.ds, ds, "PA %u %s lpa2 cpu %d wanted %d kernel %u", pa, gname[gi], cpu52,
			 want_lpa2, kernel_pa[k]);
		CHECK_EQ(h.cfg.granule, granules[gi], "PA %u %s", pa, gname[gi]);
		CHECK_EQ(h.caps.pa_bits, pa, "PA %u %s", pa, gname[gi]);
	}
}

/* Only the values CONFIG_ARM64_PA_BITS can have are a kernel PA size. */
static void test_kernel_pa_values(void **state)
{
	(void)state;
	for (unsigned bits = 1; bits < 80; bits++) {
		struct s2_host_caps c = caps_of(6, true);
		struct s2_host_config cfg = { S2_GRANULE_64K, false, bits, S2_POLICY_INDEPENDENT, 0 };
		struct s2_host h;
		struct s2_diag d = { "" };
		int rc = s2_host_init(&h, &c, &cfg, &d);

		CHECK_EQ(rc, bits == 48 || bits == 52 ? 0 : S2_EINVAL, "kernel PA %u", bits);
		if (rc)
			CHECK_MSG_HAS(d.msg, "48 or 52", "kernel PA %u", bits);
	}
	/* Linux's 64K host on a 48-bit kernel: 52-bit VMs, PS=48. */
	struct s2_host_caps c = caps_of(6, false);
	struct s2_host_config cfg = { S2_GRANULE_64K, false, 48, S2_POLICY_INDEPENDENT, 0 };
	struct s2_host h;
	CHECK_EQ(s2_host_init(&h, &c, &cfg, NULL), 0, "64K, kernel PA 48");
	CHECK_EQ(h.ipa_limit, 52, "64K, kernel PA 48: limit");
	CHECK_EQ(h.ps_bits, 48, "64K, kernel PA 48: PS");
}

/* KVM_CAP_ARM_VM_IPA_SIZE measured under QEMU: Debian 6.12 (4K, LPA2,
   PA_BITS=52) on -cpu max reports 52; 6.1 (4K, PA_BITS=48) reports 48. */
static void test_ipa_limit_kvm_measured(void **state)
{
	struct s2_id_regs r = { 0x0000032310201126ULL, 2ULL << 4, 0 };
	struct s2_host_caps c;
	struct s2_host h;
	struct s2_host_config k612 = { S2_GRANULE_4K, true, 52, S2_POLICY_INDEPENDENT, 0 };
	struct s2_host_config k61 = { S2_GRANULE_4K, false, 48, S2_POLICY_INDEPENDENT, 0 };

	(void)state;
	CHECK_EQ(s2_host_caps_decode(&r, &c, NULL), 0, "qemu max");
	CHECK_EQ(s2_host_init(&h, &c, &k612, NULL), 0, "6.12");
	CHECK_EQ(h.ipa_limit, 52, "6.12 on -cpu max");
	CHECK_EQ(h.ds, true, "6.12 on -cpu max");
	CHECK_EQ(s2_host_init(&h, &c, &k61, NULL), 0, "6.1");
	CHECK_EQ(h.ipa_limit, 48, "6.1 on -cpu max");
	CHECK_EQ(h.ds, false, "6.1 on -cpu max");
}

/* s2/host.h: "S2_ENOTSUP when ... LPA2 is asked for but missing" (4K/16K;
   64K has no LPA2 format and gets 52 bits from FEAT_LPA). */
static void test_ipa_limit_lpa2_missing(void **state)
{
	(void)state;
	for (unsigned enc = 0; enc < 7; enc++)
	for (unsigned gi = 0; gi < 2; gi++) {
		struct s2_host_caps c = caps_of(enc, false);
		struct s2_host_config cfg = { granules[gi], true, 0, S2_POLICY_INDEPENDENT, 0 };
		struct s2_host h;
		struct s2_diag d = { "" };

		CHECK_EQ(s2_host_init(&h, &c, &cfg, &d), S2_ENOTSUP, "PA %u %s, LPA2 asked, CPU without",
			 pa_sizes[enc], gname[gi]);
		CHECK_MSG_HAS(d.msg, "LPA2", "PA %u %s", pa_sizes[enc], gname[gi]);
	}
}

/* A granule the CPU lacks at stage 2 is ENOTSUP, and the message names it. */
static void test_ipa_limit_unsupported_granule(void **state)
{
	(void)state;
	for (unsigned gi = 0; gi < 3; gi++) {
		struct s2_host_caps c = caps_of(5, false);
		struct s2_host_config cfg = { granules[gi], false, 0, S2_POLICY_INDEPENDENT, 0 };
		struct s2_host h;
		struct s2_diag d = { "" };

		c.gran[gi].s2 = false;
		c.gran[gi].s2_52 = false;
		CHECK_EQ(s2_host_init(&h, &c, &cfg, &d), S2_ENOTSUP, "%s missing", gname[gi]);
		CHECK_MSG_WORD(d.msg, gname[gi], "%s missing", gname[gi]);
	}
}

static void test_ipa_limit_bad_config(void **state)
{
	struct s2_host_caps c = caps_of(6, true);
	struct s2_host h;
	struct s2_diag d;

	(void)state;
	for (unsigned g = 0; g <= 20; g++) {
		struct s2_host_config cfg = { (enum s2_granule)g, false, 0, S2_POLICY_INDEPENDENT, 0 };
		if (g == 12 || g == 14 || g == 16)
			continue;
		d.msg[0] = 0;
		CHECK_EQ(s2_host_init(&h, &c, &cfg, &d), S2_EINVAL, "granule %u", g);
		CHECK_MSG_DEC(d.msg, g, "granule %u", g);
	}
	for (unsigned k = 1; k <= 64; k++) {
		struct s2_host_config cfg = { S2_GRANULE_4K, false, k, S2_POLICY_INDEPENDENT, 0 };
		bool ok = k == 48 || k == 52;   /* CONFIG_ARM64_PA_BITS */
		d.msg[0] = 0;
		CHECK_EQ(s2_host_init(&h, &c, &cfg, &d), ok ? 0 : S2_EINVAL, "kernel PA %u", k);
		if (!ok)
			CHECK_MSG_DEC(d.msg, k, "kernel PA %u", k);
	}
	/* The capped policy needs a stage-1 VA size Linux can configure. */
	for (unsigned va = 0; va <= 64; va++) {
		struct s2_host_config cfg = { S2_GRANULE_4K, false, 0, S2_POLICY_CAPPED, va };
		bool ok = va >= 36 && va <= 52;
		d.msg[0] = 0;
		CHECK_EQ(s2_host_init(&h, &c, &cfg, &d), ok ? 0 : S2_EINVAL, "VA %u", va);
		if (!ok)
			CHECK_MSG_DEC(d.msg, va, "VA %u", va);
	}
}

/* Under the capped policy a 39-bit 4K host cannot run 44..48-bit IPAs, a
   36-bit 16K host 41..48, a 42-bit 64K host 47..52; the other three hosts
   of the matrix (test_policy.c) lose nothing. */
static void test_ipa_limit_capped_hosts(void **state)
{
	static const struct { enum s2_granule g; unsigned va, pa_enc, limit; } rows[] = {
		{ S2_GRANULE_4K, 39, 5, 43 },
		{ S2_GRANULE_16K, 36, 5, 40 },
		{ S2_GRANULE_64K, 42, 6, 46 },
		/* Hosts with every column supported. */
		{ S2_GRANULE_4K, 48, 5, 48 },
		{ S2_GRANULE_16K, 47, 5, 48 },
		{ S2_GRANULE_64K, 48, 6, 52 },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(rows); i++) {
		struct s2_host_caps c = caps_of(rows[i].pa_enc, false);
		struct s2_host_config cfg = { rows[i].g, false, 0, S2_POLICY_CAPPED, rows[i].va };
		struct s2_host h;

		CHECK_EQ(s2_host_init(&h, &c, &cfg, NULL), 0, "%ubit-%s", rows[i].va,
			 s2_granule_name(rows[i].g));
		CHECK_EQ(h.ipa_limit, rows[i].limit, "%ubit-%s", rows[i].va,
			 s2_granule_name(rows[i].g));
	}
}

/*
 * The capped policy, every granule x host VA x PA size x LPA2: the limit is
 * the largest IPA whose stage-2 levels, max(2, (ipa - 8) / (shift - 3)), do
 * not exceed the host's stage-1 levels, (va - 4) / (shift - 3) (Linux's
 * ARM64_HW_PGTABLE_LEVELS); and the policy knows 52 bits only with 64K.
 */
static void test_ipa_limit_capped(void **state)
{
	(void)state;
	for (unsigned enc = 0; enc < 7; enc++)
	for (unsigned gi = 0; gi < 3; gi++)
	for (int lpa2 = 0; lpa2 <= 1; lpa2++)
	for (unsigned va = 36; va <= 52; va++) {
		struct s2_host_caps c = caps_of(enc, true);
		struct s2_host_config cfg = { granules[gi], lpa2, 0, S2_POLICY_CAPPED, va };
		struct s2_host h;
		unsigned shift = (unsigned)granules[gi], stride = shift - 3;
		unsigned pa = pa_sizes[enc], base = pa, lim = 0;

		if (base > 48 && !(lpa2 && gi != 2) && !(gi == 2 && pa == 52))
			base = 48;
		for (unsigned n = 32; n <= base; n++) {
			unsigned s2l = (n - 8) / stride < 2 ? 2 : (n - 8) / stride;
			if ((n <= 48 || gi == 2) && s2l <= (va - 4) / stride)
				lim = n;
		}
		CHECK_EQ(s2_host_init(&h, &c, &cfg, NULL), 0, "PA %u %s va %u", pa, gname[gi], va);
		CHECK_EQ(h.ipa_limit, lim, "PA %u %s lpa2 %d va %u", pa, gname[gi], lpa2, va);
		CHECK_EQ(h.ps_bits, base, "PA %u %s lpa2 %d va %u", pa, gname[gi], lpa2, va);
	}
}

/*
 * Reserved TGranX_2 values (4..7 and 8..15; the field is unsigned). Linux's
 * kvm_set_ipa_limit() accepts 2..7 (TGRAN_2_SUPPORTED_MIN..MAX) as "the
 * page size is supported at stage 2" and refuses to start KVM for 8..15;
 * only exactly 3 means 52-bit descriptors (has_lpa2_at_stage2()). The
 * other granules are untouched by one granule's field.
 */
static void test_caps_tgran2_reserved(void **state)
{
	static const char *const field[] = { "TGran4_2", "TGran16_2", "TGran64_2" };

	(void)state;
	for (unsigned gi = 0; gi < 3; gi++)
	for (uint64_t t2 = 4; t2 < 16; t2++) {
		uint64_t tg2[3] = { TG2_YES, TG2_YES, TG2_YES };
		struct s2_id_regs r = { 0, 0, 0 };
		struct s2_host_caps c;
		struct s2_host_config cfg = { granules[gi], false, 0, S2_POLICY_INDEPENDENT, 0 };
		struct s2_host h;
		struct s2_diag d = { "" };
		bool yes = t2 <= 7;

		tg2[gi] = t2;
		r.mmfr0 = mmfr0(6, TG4_52, TG16_52, TG64_YES, tg2[0], tg2[1], tg2[2]);
		CHECK_EQ(s2_host_caps_decode(&r, &c, NULL), 0, "%s=%llu", field[gi],
			 (unsigned long long)t2);
		CHECK_EQ(c.gran[gi].s2, yes, "%s=%llu", field[gi], (unsigned long long)t2);
		if (gi != 2)
			CHECK_EQ(c.gran[gi].s2_52, false, "%s=%llu: 52-bit only at 3", field[gi],
				 (unsigned long long)t2);
		for (unsigned o = 0; o < 3; o++)
			if (o != gi)
				CHECK_EQ(c.gran[o].s2, true, "%s unaffected by %s=%llu", gname[o],
					 field[gi], (unsigned long long)t2);
		CHECK_EQ(s2_host_init(&h, &c, &cfg, &d), yes ? 0 : S2_ENOTSUP, "%s=%llu",
			 field[gi], (unsigned long long)t2);
		if (!yes) {
			CHECK_MSG_HAS(d.msg, field[gi], "%s=%llu", field[gi], (unsigned long long)t2);
			CHECK_MSG_DEC(d.msg, t2, "%s=%llu", field[gi], (unsigned long long)t2);
			CHECK_MSG_WORD(d.msg, "reserved", "%s=%llu", field[gi], (unsigned long long)t2);
		}
	}
}

/*
 * A PARange beyond the seven defined values: Linux 6.12's
 * id_aa64mmfr0_parange_to_phys_shift() returns CONFIG_ARM64_PA_BITS for
 * it, after kvm_set_ipa_limit() has capped PARange at 48 bits for 4K/16K
 * without LPA2. So a 64K host on a 48-bit kernel reports 48, a 52-bit
 * kernel 52; with no kernel PA size given, the limit is 52.
 */
/*
 * A 52-bit 4K/16K kernel uses LPA2 at stage 2 when Linux 6.12's has_lpa2()
 * holds: TGranX exactly its 52-bit value and TGranX_2 exactly 3. TGranX_2
 * = 0 ("as stage 1") with a 52-bit TGranX allows 52-bit stage 2 in the
 * architecture, yet Linux caps the IPA limit at 48 bits; so does LPA2 at
 * stage 2 without it at stage 1. Asked for explicitly (lpa2), the
 * architecture's answer stands.
 */
static void test_ipa_limit_linux_lpa2(void **state)
{
	static const struct { uint64_t tg4, tg16, tg4_2, tg16_2; unsigned lim4, lim16; } c[] = {
		{ TG4_52, TG16_52, TG2_52, TG2_52, 52, 52 },
		{ TG4_52, TG16_52, TG2_AS_S1, TG2_AS_S1, 48, 48 },
		{ TG4_YES, TG16_YES, TG2_52, TG2_52, 48, 48 },
		{ TG4_52, TG16_YES, TG2_52, TG2_YES, 52, 48 },
		{ TG4_YES, TG16_52, TG2_AS_S1, TG2_52, 48, 52 },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(c); i++)
	for (unsigned gi = 0; gi < 2; gi++) {
		struct s2_id_regs r = { mmfr0(6, c[i].tg4, c[i].tg16, TG64_YES, c[i].tg4_2,
					      c[i].tg16_2, TG2_YES), 0, 0 };
		struct s2_host_config cfg = { granules[gi], false, 52, S2_POLICY_INDEPENDENT, 0 };
		struct s2_host_caps caps;
		struct s2_host h;
		unsigned want = gi ? c[i].lim16 : c[i].lim4;

		CHECK_EQ(s2_host_caps_decode(&r, &caps, NULL), 0, "case %zu", i);
		CHECK_EQ(s2_host_init(&h, &caps, &cfg, NULL), 0, "case %zu %s", i, gname[gi]);
		CHECK_EQ(h.ipa_limit, want, "case %zu %s: KVM's IPA limit", i, gname[gi]);
		CHECK_EQ(h.ds, want == 52, "case %zu %s: LPA2 in use", i, gname[gi]);
		/* TGranX_2 = 0 with a 52-bit stage 1: the architecture has
		   52-bit stage 2, which an explicit request may use. */
		if (caps.gran[gi].s2_52) {
			cfg.lpa2 = true;
			CHECK_EQ(s2_host_init(&h, &caps, &cfg, NULL), 0, "case %zu %s lpa2", i,
				 gname[gi]);
			CHECK_EQ(h.ipa_limit, 52, "case %zu %s: asked for", i, gname[gi]);
		}
	}
}

static void test_ipa_limit_reserved_parange(void **state)
{
	(void)state;
	for (unsigned enc = 7; enc < 16; enc++)
	for (unsigned gi = 0; gi < 3; gi++)
	for (unsigned k = 0; k < 3; k++)
	for (int lpa2 = 0; lpa2 <= 1; lpa2++) {
		struct s2_id_regs r = { mmfr0(enc, TG4_52, TG16_52, TG64_YES, TG2_52, TG2_52, TG2_YES),
					0, 0 };
		struct s2_host_config cfg = { granules[gi], lpa2, kernel_pa[k],
					      S2_POLICY_INDEPENDENT, 0 };
		struct s2_host_caps c;
		struct s2_host h;
		bool ds = gi != 2 && (lpa2 || kernel_pa[k] == 52);
		unsigned want;

		if (lpa2 && gi != 2 && kernel_pa[k] == 48)
			continue;   /* refused: LPA2 needs a 52-bit kernel */
		CHECK_EQ(s2_host_caps_decode(&r, &c, NULL), 0, "PARange %u", enc);
		want = gi != 2 && !ds ? 48 : kernel_pa[k] ? kernel_pa[k] : 52;
		CHECK_EQ(s2_host_init(&h, &c, &cfg, NULL), 0, "PARange %u %s kernel %u lpa2 %d",
			 enc, gname[gi], kernel_pa[k], lpa2);
		CHECK_EQ(h.ipa_limit, want, "PARange %u %s kernel %u lpa2 %d", enc, gname[gi],
			 kernel_pa[k], lpa2);
		CHECK(h.ps_bits <= h.ipa_limit, "PARange %u %s kernel %u: PS %u", enc, gname[gi],
		      kernel_pa[k], h.ps_bits);
	}
}

static const struct CMUnitTest tests[] = {
	UNIT_TEST(test_parange_helpers),
	UNIT_TEST(test_caps_parange),
	UNIT_TEST(test_caps_granules),
	UNIT_TEST(test_caps_no_granule),
	UNIT_TEST(test_caps_mmfr1_mmfr2),
	UNIT_TEST(test_caps_qemu_max),
	UNIT_TEST(test_caps_small_models),
	UNIT_TEST(test_id_regs_synth),
	UNIT_TEST(test_ipa_limit_independent),
	UNIT_TEST(test_kernel_pa_values),
	UNIT_TEST(test_ipa_limit_lpa2_missing),
	UNIT_TEST(test_ipa_limit_kvm_measured),
	UNIT_TEST(test_ipa_limit_unsupported_granule),
	UNIT_TEST(test_ipa_limit_bad_config),
	UNIT_TEST(test_ipa_limit_capped_hosts),
	UNIT_TEST(test_ipa_limit_capped),
	UNIT_TEST(test_caps_tgran2_reserved),
	UNIT_TEST(test_ipa_limit_reserved_parange),
	UNIT_TEST(test_ipa_limit_linux_lpa2),
};

UNIT_MAIN("host", tests)

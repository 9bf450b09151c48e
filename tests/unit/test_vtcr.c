/* SPDX-License-Identifier: MIT */
/*
 * VTCR_EL2 encode/decode and VTTBR_EL2, against a hand-written encoder
 * (Arm ARM D19, VTCR_EL2 and VTTBR_EL2), the values QEMU 7.2's MMU
 * accepted, and geom_oracle.h for what each value selects.
 */
#include "unit.h"
#include "geom_oracle.h"
#include <s2/vtcr.h>

/* VTCR_EL2.TG0 per granule (4K, 16K, 64K): 0b00, 0b10, 0b01. */
static const unsigned tg0_of[3] = { 0, 2, 1 };
/* VTCR_EL2.SL0 per granule and start level -1..3; -1 = not encodable.
   4K: SL0 0/1/2/3 = level 2/1/0/3, level -1 is SL2=1 with SL0=0;
   16K and 64K: SL0 0/1/2/3 = level 3/2/1/0. */
static const int sl0_of[3][5] = {
	{ 0, 2, 1, 0, 3 },
	{ -1, 3, 2, 1, 0 },
	{ -1, -1, 2, 1, 0 },
};

static unsigned ps_enc(unsigned bits)
{
	for (unsigned i = 0; i < ARRAY_LEN(oracle_pa_sizes); i++)
		if (oracle_pa_sizes[i] == bits)
			return i;
	return 99;
}

static uint64_t hand_vtcr(const struct oracle_geom *o, unsigned flags)
{
	bool ha = flags & (S2_VTCR_F_HA | S2_VTCR_F_HD), hd = flags & S2_VTCR_F_HD;

	return (uint64_t)(64 - o->ipa) |                        /* T0SZ [5:0] */
	       (uint64_t)sl0_of[o->gi][o->start + 1] << 6 |      /* SL0 [7:6] */
	       1ULL << 8 |                                      /* IRGN0 WBWA */
	       1ULL << 10 |                                     /* ORGN0 WBWA */
	       3ULL << 12 |                                     /* SH0 inner */
	       (uint64_t)tg0_of[o->gi] << 14 |                  /* TG0 [15:14] */
	       (uint64_t)ps_enc(o->ps) << 16 |                  /* PS [18:16] */
	       (uint64_t)!!(flags & S2_VTCR_F_VMID16) << 19 |   /* VS */
	       (uint64_t)ha << 21 | (uint64_t)hd << 22 |        /* HA, HD */
	       1ULL << 31 |                                     /* RES1 */
	       (uint64_t)o->ds << 32 |                          /* DS */
	       (uint64_t)(o->start == -1) << 33;                /* SL2 */
}

static const unsigned shifts[] = { 12, 14, 16 };
static const unsigned ps_reqs[] = { 0, 32, 36, 40, 42, 44, 48, 52 };
static const int starts[] = { S2_START_AUTO, -1, 0, 1, 2, 3 };

/* Walk every valid geometry; @fn gets the library's geometry and the model. */
typedef void (*geom_fn)(const struct s2_geometry *g, const struct oracle_geom *o,
			const char *ctx);

static unsigned for_each_geometry(geom_fn fn)
{
	unsigned n = 0;

	for (unsigned si = 0; si < ARRAY_LEN(shifts); si++)
	for (unsigned ipa = 32; ipa <= 52; ipa++)
	for (unsigned pi = 0; pi < ARRAY_LEN(ps_reqs); pi++)
	for (int lpa2 = 0; lpa2 <= 1; lpa2++)
	for (unsigned st = 0; st < ARRAY_LEN(starts); st++) {
		struct oracle_geom o = oracle_geometry(shifts[si], ipa, ps_reqs[pi], lpa2, starts[st]);
		struct s2_geom_req req = { (enum s2_granule)shifts[si], ipa, ps_reqs[pi], lpa2,
					   starts[st] };
		struct s2_geometry g;
		char ctx[96];

		if (o.err)
			continue;
		snprintf(ctx, sizeof(ctx), "2^%u ipa %u ps %u lpa2 %d start %d", shifts[si], ipa,
			 o.ps, lpa2, o.start);
		if (!CHECK_EQ(s2_geometry_init(&g, &req, NULL), 0, "%s", ctx))
			continue;
		fn(&g, &o, ctx);
		n++;
	}
	return n;
}

static void encode_one(const struct s2_geometry *g, const struct oracle_geom *o, const char *ctx)
{
	for (unsigned flags = 0; flags < 8; flags++) {
		uint64_t want = hand_vtcr(o, flags), got = s2_vtcr_encode(g, flags);

		CHECK_EQ(got, want, "%s flags %u", ctx, flags);
		/* Field by field, so a mismatch names the field. */
		CHECK_EQ(got & 0x3f, 64 - o->ipa, "%s T0SZ", ctx);
		CHECK_EQ((got >> 6) & 3, sl0_of[o->gi][o->start + 1], "%s SL0", ctx);
		CHECK_EQ((got >> 8) & 3, 1, "%s IRGN0", ctx);
		CHECK_EQ((got >> 10) & 3, 1, "%s ORGN0", ctx);
		CHECK_EQ((got >> 12) & 3, 3, "%s SH0", ctx);
		CHECK_EQ((got >> 14) & 3, tg0_of[o->gi], "%s TG0", ctx);
		CHECK_EQ((got >> 16) & 7, ps_enc(o->ps), "%s PS", ctx);
		CHECK_EQ((got >> 19) & 1, !!(flags & S2_VTCR_F_VMID16), "%s VS", ctx);
		CHECK_EQ((got >> 21) & 1, !!(flags & (S2_VTCR_F_HA | S2_VTCR_F_HD)), "%s HA", ctx);
		CHECK_EQ((got >> 22) & 1, !!(flags & S2_VTCR_F_HD), "%s HD", ctx);
		CHECK_EQ((got >> 31) & 1, 1, "%s RES1", ctx);
		CHECK_EQ((got >> 32) & 1, o->ds, "%s DS", ctx);
		CHECK_EQ((got >> 33) & 1, o->start == -1, "%s SL2", ctx);
		CHECK_EQ(got >> 34, 0, "%s RES0 above SL2", ctx);
	}
}

static void test_vtcr_encode_every_geometry(void **state)
{
	(void)state;
	CHECK(for_each_geometry(encode_one) > 500, "enough geometries");
}

static void check_decoded_geom(const struct s2_geometry *g, const struct oracle_geom *o,
			       const char *ctx)
{
	CHECK_EQ(g->granule, o->shift, "%s", ctx);
	CHECK_EQ(g->ipa_bits, o->ipa, "%s", ctx);
	CHECK_EQ(g->ps_bits, o->ps, "%s", ctx);
	CHECK_EQ(g->oa_max, (1ULL << o->ps) - 1, "%s", ctx);
	CHECK_EQ(g->ds, o->ds, "%s", ctx);
	CHECK_EQ(g->lpa, o->lpa, "%s", ctx);
	CHECK_EQ(g->start_level, o->start, "%s", ctx);
	CHECK_EQ(g->levels, o->levels, "%s", ctx);
	CHECK_EQ(g->concat, o->concat, "%s", ctx);
	CHECK_EQ(g->root_entries, o->root_entries, "%s", ctx);
	CHECK_EQ(g->root_align, o->root_align, "%s", ctx);
	CHECK_EQ(g->block_levels, o->block_levels, "%s", ctx);
}

static void roundtrip_one(const struct s2_geometry *g, const struct oracle_geom *o, const char *ctx)
{
	for (unsigned flags = 0; flags < 8; flags++) {
		uint64_t v = hand_vtcr(o, flags);
		struct s2_vtcr d;

		if (!CHECK_EQ(s2_vtcr_decode(v, &d, NULL), 0, "%s vtcr %#llx", ctx,
			      (unsigned long long)v))
			continue;
		CHECK_EQ(d.t0sz, 64 - o->ipa, "%s", ctx);
		CHECK_EQ(d.sl0, sl0_of[o->gi][o->start + 1], "%s", ctx);
		CHECK_EQ(d.sl2, o->start == -1, "%s", ctx);
		CHECK_EQ(d.irgn0, 1, "%s", ctx);
		CHECK_EQ(d.orgn0, 1, "%s", ctx);
		CHECK_EQ(d.sh0, 3, "%s", ctx);
		CHECK_EQ(d.tg0, tg0_of[o->gi], "%s", ctx);
		CHECK_EQ(d.ps, ps_enc(o->ps), "%s", ctx);
		CHECK_EQ(d.vs, !!(flags & S2_VTCR_F_VMID16), "%s", ctx);
		CHECK_EQ(d.ha, !!(flags & (S2_VTCR_F_HA | S2_VTCR_F_HD)), "%s", ctx);
		CHECK_EQ(d.hd, !!(flags & S2_VTCR_F_HD), "%s", ctx);
		CHECK_EQ(d.ds, o->ds, "%s", ctx);
		CHECK_EQ(d.res1, true, "%s", ctx);
		check_decoded_geom(&d.geom, o, ctx);
		/* And back again. */
		CHECK_EQ(s2_vtcr_encode(&d.geom, flags), v, "%s re-encode", ctx);
	}
	(void)g;
}

static void test_vtcr_decode_roundtrip(void **state)
{
	(void)state;
	for_each_geometry(roundtrip_one);
}

/* The VTCR_EL2 values QEMU 7.2's MMU translated with, and the
   two further layouts it walked, encoded here by hand. */
static void test_vtcr_qemu_values(void **state)
{
	static const struct {
		const char *what; struct s2_geom_req req; uint64_t vtcr;
		int start; unsigned concat; uint64_t root_bytes; unsigned ps;
	} v[] = {
		{ "4K/40 (measured)", { S2_GRANULE_4K, 40, 0, false, S2_START_AUTO },
		  0x80023558ULL, 1, 2, 8192, 40 },
		{ "64K/52 (measured)", { S2_GRANULE_64K, 52, 0, false, S2_START_AUTO },
		  0x8006758cULL, 1, 1, 8192, 52 },
		{ "4K LPA2/52 (measured)", { S2_GRANULE_4K, 52, 0, true, S2_START_AUTO },
		  0x18006358cULL, 0, 16, 65536, 52 },
		/* T0SZ 12, SL0 0, SL2 1, DS 1, PS 52, 4K. */
		{ "4K LPA2/52 level -1", { S2_GRANULE_4K, 52, 0, true, -1 },
		  0x38006350cULL, -1, 1, 128, 52 },
		/* T0SZ 13, SL0 2 (16K level 1), TG0 0b10, PS 52, DS 1. */
		{ "16K DS/51", { S2_GRANULE_16K, 51, 0, true, S2_START_AUTO },
		  0x18006b58dULL, 1, 16, 262144, 52 },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(v); i++) {
		struct s2_geometry g;
		struct s2_vtcr d;

		CHECK_EQ(s2_geometry_init(&g, &v[i].req, NULL), 0, "%s", v[i].what);
		CHECK_EQ(s2_vtcr_encode(&g, 0), v[i].vtcr, "%s", v[i].what);
		CHECK_EQ(s2_vtcr_decode(v[i].vtcr, &d, NULL), 0, "%s", v[i].what);
		CHECK_EQ(d.geom.ipa_bits, v[i].req.ipa_bits, "%s", v[i].what);
		CHECK_EQ(d.geom.granule, v[i].req.granule, "%s", v[i].what);
		CHECK_EQ(d.geom.start_level, v[i].start, "%s", v[i].what);
		CHECK_EQ(d.geom.concat, v[i].concat, "%s", v[i].what);
		CHECK_EQ(d.geom.root_bytes, v[i].root_bytes, "%s", v[i].what);
		CHECK_EQ(d.geom.ps_bits, v[i].ps, "%s", v[i].what);
	}
}

/*
 * Decode every combination of the fields that decide validity: TG0, SL0,
 * SL2, DS, PS and T0SZ (2^16 values), with the attribute bits varied.
 * Expected: TG0=3, PS=7, DS with 64K, SL2 unless 4K+DS+SL0=0, 64K SL0=3
 * are reserved; the rest is whatever geometry the model says they select.
 */
static void test_vtcr_decode_exhaustive(void **state)
{
	uint64_t seed = 0x5eed;
	unsigned ok = 0, above_ps = 0;

	(void)state;
	for (unsigned tg0 = 0; tg0 < 4; tg0++)
	for (unsigned sl0 = 0; sl0 < 4; sl0++)
	for (unsigned sl2 = 0; sl2 < 2; sl2++)
	for (unsigned ds = 0; ds < 2; ds++)
	for (unsigned ps = 0; ps < 8; ps++)
	for (unsigned t0sz = 0; t0sz < 64; t0sz++) {
		uint64_t r = unit_rand(&seed);
		/* IRGN0, ORGN0, SH0, VS, HA, HD, RES1 at random. */
		uint64_t attrs = r & (S2_GENMASK(13, 8) | S2_BIT(19) | S2_BIT(21) | S2_BIT(22) |
				      S2_BIT(31));
		uint64_t v = t0sz | (uint64_t)sl0 << 6 | (uint64_t)tg0 << 14 | (uint64_t)ps << 16 |
			     (uint64_t)ds << 32 | (uint64_t)sl2 << 33 | attrs;
		unsigned gi = tg0 == 0 ? 0 : tg0 == 2 ? 1 : 2;
		struct oracle_geom o = { .err = S2_EINVAL };
		int level;
		struct s2_vtcr d;
		struct s2_diag dg = { "" };
		char ctx[64];

		snprintf(ctx, sizeof(ctx), "vtcr %#llx", (unsigned long long)v);
		level = 99;
		if (tg0 == 3 || ps == 7 || (ds && gi == 2)) {
			/* reserved */
		} else if (sl2) {
			if (gi == 0 && ds && sl0 == 0)
				level = -1;
		} else if (!(gi == 2 && sl0 == 3)) {
			level = gi == 0 ? (sl0 == 3 ? 3 : 2 - (int)sl0) : 3 - (int)sl0;
		}
		/* T0SZ is bounded by the CPU's PA size (AArch64.S2MinTxSZ), not
		   by PS: an IPA wider than PS selects the tables of a CPU whose
		   PA size holds it, with PS's output size. */
		unsigned ipa = 64 - t0sz, psb = ps < 7 ? oracle_pa_sizes[ps] : 0;
		bool above = ipa <= 52 && ipa > psb;
		if (level != 99)
			o = oracle_geometry(12 + 2 * gi, ipa, above ? oracle_round_pa(ipa) : psb, ds,
					    level);
		if (above && !o.err) {
			o.ps = psb;
			o.oa_max = (1ULL << psb) - 1;
		}

		int rc = s2_vtcr_decode(v, &d, &dg);
		CHECK_EQ(rc, o.err, "%s", ctx);
		if (rc || o.err) {
			if (rc)
				CHECK(dg.msg[0] != 0, "%s: message", ctx);
			continue;
		}
		ok++;
		above_ps += d.ipa_above_ps;
		CHECK_EQ(d.ipa_above_ps, above, "%s: IPA above PS", ctx);
		check_decoded_geom(&d.geom, &o, ctx);
		CHECK_EQ(d.irgn0, (v >> 8) & 3, "%s", ctx);
		CHECK_EQ(d.orgn0, (v >> 10) & 3, "%s", ctx);
		CHECK_EQ(d.sh0, (v >> 12) & 3, "%s", ctx);
		CHECK_EQ(d.vs, (v >> 19) & 1, "%s", ctx);
		CHECK_EQ(d.ha, (v >> 21) & 1, "%s", ctx);
		CHECK_EQ(d.hd, (v >> 22) & 1, "%s", ctx);
		CHECK_EQ(d.res1, (v >> 31) & 1, "%s", ctx);
	}
	CHECK(ok > 300, "valid encodings found: %u", ok);
	CHECK(above_ps > 50, "IPA wider than PS decoded: %u", above_ps);
}

/*
 * An IPA wider than VTCR.PS: the architecture bounds T0SZ by the CPU's PA
 * size, and Linux runs 52-bit IPAs with PS=48 (64K pages on a 48-bit
 * kernel PA, kvm_get_vtcr()). Hand-encoded: T0SZ, SL0, IRGN0/ORGN0 WBWA,
 * SH0 inner, TG0, PS, RES1.
 */
static void test_vtcr_ipa_above_ps(void **state)
{
	static const struct {
		const char *what; uint64_t vtcr; unsigned ipa, ps; int start; bool l1_block;
	} v[] = {
		/* 4K, T0SZ 24 (40 bits), SL0 1 (level 1), PS 0 (32 bits). */
		{ "4K/40 PS 32", 24 | 1 << 6 | 0x3500 | 0ULL << 14 | 0ULL << 16 | 1ULL << 31,
		  40, 32, 1, true },
		/* 64K, T0SZ 12 (52 bits), SL0 2 (level 1), PS 5 (48 bits). */
		{ "64K/52 PS 48", 12 | 2 << 6 | 0x3500 | 1ULL << 14 | 5ULL << 16 | 1ULL << 31,
		  52, 48, 1, true },
		/* 4K, T0SZ 20 (44 bits), SL0 2 (level 0), PS 2 (40 bits). */
		{ "4K/44 PS 40 from level 0", 20 | 2 << 6 | 0x3500 | 2ULL << 16 | 1ULL << 31,
		  44, 40, 0, true },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(v); i++) {
		struct s2_vtcr d;
		struct s2_diag dg = { "" };

		CHECK_EQ(s2_vtcr_decode(v[i].vtcr, &d, &dg), 0, "%s: %s", v[i].what, dg.msg);
		CHECK(d.ipa_above_ps, "%s: noted", v[i].what);
		CHECK_EQ(d.geom.ipa_bits, v[i].ipa, "%s", v[i].what);
		CHECK_EQ(d.geom.ps_bits, v[i].ps, "%s", v[i].what);
		CHECK_EQ(d.geom.oa_max, (1ULL << v[i].ps) - 1, "%s", v[i].what);
		CHECK_EQ(d.geom.ipa_max, (1ULL << v[i].ipa) - 1, "%s", v[i].what);
		CHECK_EQ(d.geom.start_level, v[i].start, "%s", v[i].what);
		CHECK_EQ(s2_level_has_block(&d.geom, 1), v[i].l1_block, "%s", v[i].what);
	}
}

/* The forbidden combinations by name; the message names the field. */
static void test_vtcr_decode_forbidden(void **state)
{
	static const struct { const char *what; uint64_t v; const char *word; } bad[] = {
		{ "TG0=3", 0x8002f558ULL, "TG0" },
		{ "PS=7", 0x80073558ULL, "PS" },
		{ "DS with 64K", 0x18006758cULL, "DS" },
		{ "SL2 without DS", 0x28006350cULL, "SL2" },
		{ "SL2 with 16K", 0x38006b50cULL, "SL2" },
		{ "SL2 with SL0=1", 0x38006354cULL, "SL2" },
		{ "64K SL0=3", 0x800675ccULL, "SL0" },
		/* 4K, 44-bit IPA from level 1: 14 bits at the root = 32 tables. */
		{ "4K/44 from level 1 (32 tables)", 0x80043554ULL, "44" },
		/* 4K, 36-bit IPA from level 0: fewer than 1 bit at level 0. */
		{ "4K/36 from level 0", 0x8004359cULL, "36" },
		/* 4K, 52-bit IPA without DS. */
		{ "4K/52 without DS", 0x8006358cULL, "52" },
		/* 16K level 0 without DS. */
		{ "16K level 0 without DS", 0x8005b5d0ULL, "LPA2" },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(bad); i++) {
		struct s2_vtcr d, before;
		struct s2_diag dg = { "" };

		memset(&d, 0x77, sizeof(d));
		before = d;
		CHECK_EQ(s2_vtcr_decode(bad[i].v, &d, &dg), S2_EINVAL, "%s", bad[i].what);
		CHECK_MSG_WORD(dg.msg, bad[i].word, "%s", bad[i].what);
		CHECK(memcmp(&d, &before, sizeof(d)) == 0, "%s: output untouched", bad[i].what);
	}
}

/*
 * VTTBR_EL2: BADDR [47:1] (aligned to the root, at least 64 bytes), VMID
 * [63:48] (16-bit) or [55:48]; with a 52-bit PS, BADDR[51:48] in [5:2].
 */
static uint64_t hand_vttbr(uint64_t root, unsigned vmid, bool pa52)
{
	uint64_t v = root & 0x0000ffffffffffc0ULL;

	if (pa52)
		v |= ((root >> 48) & 0xf) << 2;
	return v | (uint64_t)vmid << 48;
}

static void vttbr_one(const struct s2_geometry *g, const struct oracle_geom *o, const char *ctx)
{
	uint64_t top = 1ULL << o->ps, align = o->root_align;
	const uint64_t roots[] = {
		0, align, top - align, (0x000abcdef0123456ULL & (top - 1)) & ~(align - 1),
		(top >> 1) & ~(align - 1),
	};
	const struct { unsigned bits, vmid; } vm[] = {
		{ 8, 0 }, { 8, 0xab }, { 8, 0xff }, { 16, 0x1234 }, { 16, 0xffff },
	};
	bool pa52 = o->ps == 52;

	for (unsigned r = 0; r < ARRAY_LEN(roots); r++)
	for (unsigned m = 0; m < ARRAY_LEN(vm); m++) {
		uint64_t got = 0xdead;
		int rc = s2_vttbr_encode(g, s2_pa(roots[r]), vm[m].vmid, vm[m].bits, &got, NULL);

		if (!CHECK_EQ(rc, 0, "%s root %#llx", ctx, (unsigned long long)roots[r]))
			continue;
		CHECK_EQ(got, hand_vttbr(roots[r], vm[m].vmid, pa52), "%s root %#llx vmid %#x", ctx,
			 (unsigned long long)roots[r], vm[m].vmid);
		CHECK_EQ(s2_vttbr_root(got, pa52).v, roots[r], "%s root %#llx", ctx,
			 (unsigned long long)roots[r]);
		CHECK_EQ(s2_vttbr_root(got | S2_VTTBR_CNP, pa52).v, roots[r], "%s root %#llx CnP", ctx,
			 (unsigned long long)roots[r]);
		CHECK_EQ(s2_vttbr_vmid(got), vm[m].vmid, "%s", ctx);
	}

	/* QEMU 7.2 drops low BADDR bits silently: refuse them. */
	const uint64_t off[] = { 8, 32, align >> 1, align - 8 };
	for (unsigned i = 0; i < ARRAY_LEN(off); i++) {
		uint64_t got;
		struct s2_diag d = { "" };

		if (off[i] % 8 || off[i] == 0)
			continue;
		CHECK_EQ(s2_vttbr_encode(g, s2_pa(align + off[i]), 1, 8, &got, &d), S2_EINVAL,
			 "%s misaligned by %#llx", ctx, (unsigned long long)off[i]);
		CHECK_MSG_HEX(d.msg, align + off[i], "%s", ctx);
	}
	/* A root at or beyond 2^PS cannot be reached. */
	const uint64_t far[] = { top, top + align, 1ULL << 52, 1ULL << 63 };
	for (unsigned i = 0; i < ARRAY_LEN(far); i++) {
		uint64_t got;
		struct s2_diag d = { "" };

		CHECK_EQ(s2_vttbr_encode(g, s2_pa(far[i]), 1, 8, &got, &d), S2_ERANGE, "%s root %#llx",
			 ctx, (unsigned long long)far[i]);
		CHECK_MSG_DEC(d.msg, o->ps, "%s root %#llx", ctx, (unsigned long long)far[i]);
		/* ... and says where the highest root that fits would be. */
		CHECK_MSG_HEX(d.msg, top - align, "%s root %#llx", ctx, (unsigned long long)far[i]);
	}
}

static void test_vttbr_every_geometry(void **state)
{
	(void)state;
	for_each_geometry(vttbr_one);
}

static void test_vttbr_vmid_limits(void **state)
{
	struct s2_geom_req req = { S2_GRANULE_4K, 40, 0, false, S2_START_AUTO };
	struct s2_geometry g;
	uint64_t v;

	(void)state;
	CHECK_EQ(s2_geometry_init(&g, &req, NULL), 0, "4K/40");
	for (unsigned bits = 0; bits <= 32; bits++) {
		int want = bits == 8 || bits == 16 ? 0 : S2_EINVAL;
		CHECK_EQ(s2_vttbr_encode(&g, s2_pa(0x40000000), 0, bits, &v, NULL), want,
			 "vmid_bits %u", bits);
	}
	CHECK_EQ(s2_vttbr_encode(&g, s2_pa(0x40000000), 0x100, 8, &v, NULL), S2_EINVAL, "vmid 256/8");
	CHECK_EQ(s2_vttbr_encode(&g, s2_pa(0x40000000), 0x10000, 16, &v, NULL), S2_EINVAL,
		 "vmid 65536/16");
	CHECK_EQ(s2_vttbr_encode(&g, s2_pa(0x40000000), 0x100, 16, &v, NULL), 0, "vmid 256/16");
	CHECK_EQ(v, 0x0100000040000000ULL, "vmid 256/16");
}

/* A 64 KiB 4K-LPA2 root above 2^48: PA[51:48] = 0xf land in bits [5:2]. */
static void test_vttbr_52bit_example(void **state)
{
	struct s2_geom_req req = { S2_GRANULE_4K, 52, 0, true, S2_START_AUTO };
	struct s2_geometry g;
	uint64_t v = 0;

	(void)state;
	CHECK_EQ(s2_geometry_init(&g, &req, NULL), 0, "4K LPA2/52");
	CHECK_EQ(s2_vttbr_encode(&g, s2_pa(0x000f000000010000ULL), 0x2a, 16, &v, NULL), 0, "encode");
	CHECK_EQ(v, 0x002a00000001003cULL, "vttbr");
	CHECK_EQ(s2_vttbr_root(v, true).v, 0x000f000000010000ULL, "root");
	CHECK_EQ(s2_vttbr_encode(&g, s2_pa(0x000f000000018000ULL), 0x2a, 16, &v, NULL), S2_EINVAL,
		 "32 KiB-aligned 64 KiB root");
}

/* A T0SZ outside 12..32 (an IPA outside 32..52 bits) with otherwise valid
   fields: refused with a message naming T0SZ and what fits, whatever the
   granule. */
static void test_vtcr_decode_t0sz_range(void **state)
{
	/* 4K SL0=1, 16K SL0=2, 64K SL0=2 (level 1), PS 48, RES1. */
	static const uint64_t base[] = { 0x80050040ULL, 0x80058080ULL, 0x80054080ULL };

	(void)state;
	for (unsigned b = 0; b < ARRAY_LEN(base); b++)
	for (unsigned t0sz = 0; t0sz < 64; t0sz++) {
		struct s2_vtcr v;
		struct s2_diag d = { "" };
		char tok[16];

		if (t0sz >= 12 && t0sz <= 32)
			continue;
		snprintf(tok, sizeof(tok), "T0SZ=%u", t0sz);
		CHECK_EQ(s2_vtcr_decode(base[b] | t0sz, &v, &d), S2_EINVAL, "%#llx",
			 (unsigned long long)(base[b] | t0sz));
		CHECK_MSG_HAS(d.msg, tok, "%#llx", (unsigned long long)(base[b] | t0sz));
		CHECK_MSG_HAS(d.msg, "12..32", "%#llx", (unsigned long long)(base[b] | t0sz));
		CHECK_MSG_DEC(d.msg, 64 - t0sz, "%#llx", (unsigned long long)(base[b] | t0sz));
	}
}

static const struct CMUnitTest tests[] = {
	UNIT_TEST(test_vtcr_encode_every_geometry),
	UNIT_TEST(test_vtcr_decode_roundtrip),
	UNIT_TEST(test_vtcr_qemu_values),
	UNIT_TEST(test_vtcr_decode_exhaustive),
	UNIT_TEST(test_vtcr_decode_forbidden),
	UNIT_TEST(test_vtcr_ipa_above_ps),
	UNIT_TEST(test_vttbr_every_geometry),
	UNIT_TEST(test_vttbr_vmid_limits),
	UNIT_TEST(test_vttbr_52bit_example),
	UNIT_TEST(test_vtcr_decode_t0sz_range),
};

UNIT_MAIN("vtcr", tests)

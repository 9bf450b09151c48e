/* SPDX-License-Identifier: MIT */
/*
 * Host capability from the ID registers, and the per-host IPA limit.
 * Field layouts: Arm ARM D19, ID_AA64MMFR0_EL1 / MMFR1 / MMFR2.
 */
#include <s2/host.h>

static const unsigned parange_bits[] = { 32, 36, 40, 42, 44, 48, 52 };
#define N_PARANGE (sizeof(parange_bits) / sizeof(parange_bits[0]))

static unsigned field(uint64_t reg, unsigned shift)
{
	return (unsigned)(reg >> shift) & 0xf;
}

int s2_parange_bits(unsigned enc)
{
	return enc < N_PARANGE ? (int)parange_bits[enc] : S2_EINVAL;
}

int s2_parange_enc(unsigned bits)
{
	for (unsigned i = 0; i < N_PARANGE; i++)
		if (parange_bits[i] == bits)
			return (int)i;
	return S2_EINVAL;
}

int s2_parange_round_up(unsigned bits)
{
	for (unsigned i = 0; i < N_PARANGE; i++)
		if (parange_bits[i] >= bits)
			return (int)parange_bits[i];
	return S2_ERANGE;
}

/*
 * TGranX_2 (MMFR0 [43:40] 4K, [35:32] 16K, [39:36] 64K): 0 = as the
 * stage-1 field, 1 = not supported, 2 = supported, 3 = supported with
 * 52-bit addresses (FEAT_LPA2; never defined for 64K).
 * Stage-1 fields: TGran4 [31:28] and TGran64 [27:24] are signed (0 yes,
 * 1 = 4K with LPA2, 0xf no); TGran16 [23:20] is 0 no, 1 yes, 2 with LPA2.
 */
static struct s2_gran_caps gran_caps(uint64_t mmfr0, enum s2_granule g)
{
	struct s2_gran_caps c = { false, false, false };
	unsigned s1, s2;
	bool s1_ok, s1_52;

	switch (g) {
	case S2_GRANULE_4K:
		s1 = field(mmfr0, 28); s2 = field(mmfr0, 40);
		s1_ok = s1 < 8; s1_52 = s1 >= 1 && s1 < 8;
		/* Linux 6.12's has_lpa2_at_stage1() and _at_stage2(): the
		   exact values, TGran4 == 1 (52_BIT) and TGran4_2 == 3. */
		c.linux_lpa2 = s1 == 1 && s2 == 3;
		break;
	case S2_GRANULE_16K:
		s1 = field(mmfr0, 20); s2 = field(mmfr0, 32);
		s1_ok = s1 >= 1; s1_52 = s1 >= 2;
		c.linux_lpa2 = s1 == 2 && s2 == 3;
		break;
	default:
		s1 = field(mmfr0, 24); s2 = field(mmfr0, 36);
		s1_ok = s1 < 8; s1_52 = false;
		break;
	}
	if (s2 == 0) {
		c.s2 = s1_ok;
		c.s2_52 = s1_52;
	} else {
		/* Linux's kvm_set_ipa_limit() takes 2..7
		   (TGRAN_2_SUPPORTED_MIN..MAX) and refuses to start KVM with
		   the reserved 8..15; its has_lpa2_at_stage2() wants exactly
		   3 for 52-bit descriptors. */
		c.s2 = s2 >= 2 && s2 <= 7;
		c.s2_52 = s2 == 3 && g != S2_GRANULE_64K;
	}
	return c;
}

int s2_host_caps_decode(const struct s2_id_regs *regs, struct s2_host_caps *caps,
			struct s2_diag *d)
{
	struct s2_host_caps c = { 0 };
	static const enum s2_granule gs[] = { S2_GRANULE_4K, S2_GRANULE_16K, S2_GRANULE_64K };

	c.parange = field(regs->mmfr0, 0);
	/* Reserved larger encodings only ever mean "more": clamp as Linux does. */
	c.pa_bits = parange_bits[c.parange < N_PARANGE ? c.parange : N_PARANGE - 1];
	c.lpa = c.pa_bits == 52;
	for (unsigned i = 0; i < 3; i++)
		c.gran[i] = gran_caps(regs->mmfr0, gs[i]);
	c.tgran2[0] = field(regs->mmfr0, 40);
	c.tgran2[1] = field(regs->mmfr0, 32);
	c.tgran2[2] = field(regs->mmfr0, 36);
	/* 64K reaches 52 bits through FEAT_LPA, signalled by PARange alone. */
	c.gran[2].s2_52 = c.gran[2].s2 && c.lpa;
	c.lpa2 = c.gran[0].s2_52 || c.gran[1].s2_52;
	c.vmid_bits = field(regs->mmfr1, 4) == 2 ? 16 : 8;
	c.ha = field(regs->mmfr1, 0) >= 1;
	c.hd = field(regs->mmfr1, 0) >= 2;
	c.ttl = field(regs->mmfr2, 48) >= 1;
	c.bbm = field(regs->mmfr2, 52);

	if (!c.gran[0].s2 && !c.gran[1].s2 && !c.gran[2].s2)
		return s2_diag_set(d, S2_EINVAL,
				   "ID_AA64MMFR0_EL1=%#llx supports no granule at stage 2",
				   (unsigned long long)regs->mmfr0);
	*caps = c;
	return 0;
}

int s2_id_regs_synth(unsigned pa_bits, struct s2_id_regs *regs, struct s2_diag *d)
{
	int enc = s2_parange_enc(pa_bits);

	if (enc < 0)
		return s2_diag_set(d, S2_EINVAL,
				   "PA size %u bits is not a PARange size (32, 36, 40, 42, 44, 48, 52)",
				   pa_bits);
	/* TGran4_2/TGran16_2 = 3 (52-bit) only when the PA is 52 bits, as on
	   QEMU's -cpu max; TGran64_2 = 2; stage-1 fields "supported". */
	uint64_t tg2_52 = pa_bits == 52 ? 3 : 2;
	regs->mmfr0 = (uint64_t)enc | (2ULL << 4) | (tg2_52 << 40) | (2ULL << 36) |
		      (tg2_52 << 32) | ((pa_bits == 52 ? 1ULL : 0) << 28) |
		      ((pa_bits == 52 ? 2ULL : 1ULL) << 20);
	regs->mmfr1 = (2ULL << 4) | 2ULL;
	regs->mmfr2 = (1ULL << 48) | (2ULL << 52);
	return 0;
}

unsigned s2_stage1_levels(enum s2_granule g, unsigned va_bits)
{
	if (!s2_granule_valid(g) || va_bits < 12 || va_bits > 64)
		return 0;
	/* ARM64_HW_PGTABLE_LEVELS(va) = (va - 4) / (PAGE_SHIFT - 3) */
	return (va_bits - 4) / ((unsigned)g - 3);
}

unsigned s2_stage2_levels(enum s2_granule g, unsigned ipa_bits)
{
	if (!s2_granule_valid(g) || ipa_bits < S2_IPA_MIN || ipa_bits > 52)
		return 0;
	/* Linux: ARM64_HW_PGTABLE_LEVELS(ipa - 4): the four extra bits are
	   resolved by up to 16 concatenated tables at the start level. */
	unsigned l = (ipa_bits - 8) / ((unsigned)g - 3);
	return l < 2 ? 2 : l;
}

int s2_policy_allows(enum s2_policy policy, enum s2_granule g,
		     unsigned host_va_bits, unsigned ipa_bits)
{
	if (!s2_granule_valid(g) || ipa_bits < S2_IPA_MIN || ipa_bits > 52 ||
	    host_va_bits < 36 || host_va_bits > 52)
		return S2_EINVAL;
	/* Linux 6.12: beyond 48 bits, 4K and 16K need LPA2
	   (kvm_set_ipa_limit()), which a kernel has only when built with
	   ARM64_PA_BITS_52, and that depends on ARM64_VA_BITS_52 unless pages
	   are 64K (arch/arm64/Kconfig). 64K reaches 52 bits with FEAT_LPA. */
	if (policy == S2_POLICY_INDEPENDENT)
		return ipa_bits <= 48 || g == S2_GRANULE_64K || host_va_bits == 52;
	if (policy != S2_POLICY_CAPPED)
		return S2_EINVAL;
	/* The capped policy knows 52 bits only through 64K pages (FEAT_LPA). */
	if (ipa_bits > 48 && g != S2_GRANULE_64K)
		return S2_ENOTSUP;
	return s2_stage2_levels(g, ipa_bits) <= s2_stage1_levels(g, host_va_bits);
}

int s2_policy_parse(const char *s, enum s2_policy *p, struct s2_diag *d)
{
	const char *a = "capped", *b = "independent";
	const char *x;

	for (x = s; *x && *a && *x == *a; x++, a++)
		;
	if (!*x && !*a) {
		*p = S2_POLICY_CAPPED;
		return 0;
	}
	for (x = s; *x && *b && *x == *b; x++, b++)
		;
	if (!*x && !*b) {
		*p = S2_POLICY_INDEPENDENT;
		return 0;
	}
	return s2_diag_set(d, S2_EINVAL, "policy '%s' is not one of capped, independent", s);
}

const char *s2_policy_name(enum s2_policy p)
{
	return p == S2_POLICY_CAPPED ? "capped" : "independent";
}

int s2_host_init(struct s2_host *h, const struct s2_host_caps *caps,
		 const struct s2_host_config *cfg, struct s2_diag *d)
{
	enum s2_granule g = cfg->granule;
	const struct s2_gran_caps *gc;
	unsigned pa;
	bool ds;

	if (!s2_granule_valid(g))
		return s2_diag_set(d, S2_EINVAL, "granule %u is not 4K, 16K or 64K", (unsigned)g);
	gc = &caps->gran[s2_gran_index(g)];
	if (!gc->s2 && caps->tgran2[s2_gran_index(g)] > 7)
		return s2_diag_set(d, S2_ENOTSUP,
				   "the %s granule is not usable at stage 2: TGran%s_2=%u is reserved (Linux's KVM takes 0, 2..7 and refuses to start); supported:%s%s%s",
				   s2_granule_name(g), g == S2_GRANULE_4K ? "4" : g == S2_GRANULE_16K ? "16" : "64",
				   caps->tgran2[s2_gran_index(g)], caps->gran[0].s2 ? " 4K" : "",
				   caps->gran[1].s2 ? " 16K" : "", caps->gran[2].s2 ? " 64K" : "");
	if (!gc->s2)
		return s2_diag_set(d, S2_ENOTSUP,
				   "the %s granule is not supported at stage 2 by this CPU (supported:%s%s%s)",
				   s2_granule_name(g), caps->gran[0].s2 ? " 4K" : "",
				   caps->gran[1].s2 ? " 16K" : "", caps->gran[2].s2 ? " 64K" : "");
	/* Linux 6.12's CONFIG_ARM64_PA_BITS is 48 or 52. */
	if (cfg->kernel_pa_bits != S2_KERNEL_PA_UNSET && cfg->kernel_pa_bits != 48 && cfg->kernel_pa_bits != 52)
		return s2_diag_set(d, S2_EINVAL,
				   "kernel PA size %u bits is not one CONFIG_ARM64_PA_BITS can have (48 or 52)",
				   cfg->kernel_pa_bits);
	/* ARM64_LPA2 depends on ARM64_PA_BITS_52 (arch/arm64/Kconfig). */
	if (cfg->lpa2 && g != S2_GRANULE_64K && cfg->kernel_pa_bits == 48)
		return s2_diag_set(d, S2_EINVAL,
				   "LPA2 needs a 52-bit kernel PA size (ARM64_LPA2 depends on ARM64_PA_BITS_52); a 48-bit kernel has no LPA2");
	if (cfg->policy == S2_POLICY_CAPPED &&
	    (cfg->host_va_bits < 36 || cfg->host_va_bits > 52))
		return s2_diag_set(d, S2_EINVAL,
				   "host VA size %u bits is outside 36..52", cfg->host_va_bits);

	/* LPA2 (DS=1) is a 4K/16K format; 64K gets 52 bits from FEAT_LPA,
	   so asking for LPA2 with 64K changes nothing. */
	ds = cfg->lpa2 && g != S2_GRANULE_64K;
	if (ds && !gc->s2_52)
		return s2_diag_set(d, S2_ENOTSUP,
				   "LPA2 was asked for, but this CPU has no 52-bit %s granule at stage 2 (TGran%s_2); without LPA2 the IPA limit is %u bits",
				   s2_granule_name(g), g == S2_GRANULE_4K ? "4" : "16",
				   caps->pa_bits < 48 ? caps->pa_bits : 48);
	/* A 52-bit 4K/16K kernel is built with LPA2 and KVM uses it when
	   Linux's system_supports_lpa2() says so: has_lpa2() wants LPA2 at
	   both stages by their exact values (TGranX_2 == 0, "as stage 1",
	   is not enough there, though the architecture would allow it). */
	if (cfg->kernel_pa_bits == 52 && g != S2_GRANULE_64K && gc->linux_lpa2)
		ds = true;
	/* Linux kvm_set_ipa_limit() reads PARange, TGRAN_2 and LPA2 only:
	   beyond 48 bits needs a 52-bit descriptor format for the granule. */
	pa = caps->pa_bits;
	if (pa > 48 && !ds && !(g == S2_GRANULE_64K && caps->lpa))
		pa = 48;
	/* A PARange value newer than 52 bits: Linux's
	   id_aa64mmfr0_parange_to_phys_shift() answers the kernel's own PA
	   size (CONFIG_ARM64_PA_BITS) for it. */
	else if (caps->parange >= N_PARANGE && cfg->kernel_pa_bits)
		pa = cfg->kernel_pa_bits;
	h->ipa_limit = pa;
	/* The kernel's PA size caps VTCR.PS (kvm_get_vtcr(): PARange no
	   larger than ID_AA64MMFR0_EL1_PARANGE_MAX), never the limit. */
	if (cfg->kernel_pa_bits && cfg->kernel_pa_bits < pa)
		pa = cfg->kernel_pa_bits;

	h->caps = *caps;
	h->cfg = *cfg;
	h->ds = ds;
	h->ps_bits = pa;
	if (cfg->policy == S2_POLICY_CAPPED) {
		while (h->ipa_limit > S2_IPA_MIN &&
		       s2_policy_allows(S2_POLICY_CAPPED, g, cfg->host_va_bits,
					h->ipa_limit) != 1)
			h->ipa_limit--;
	}
	return 0;
}

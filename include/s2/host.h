/* SPDX-License-Identifier: MIT */
/*
 * Host capability: what the CPU's ID registers say the stage-2 MMU can do,
 * and the IPA limit a KVM_CAP_ARM_VM_IPA_SIZE query would report.
 */
#ifndef S2_HOST_H
#define S2_HOST_H

#include <s2/err.h>
#include <s2/types.h>

/* Raw ID registers, as read with MRS (or synthesised for tests/tools). */
struct s2_id_regs {
	uint64_t mmfr0;   /* ID_AA64MMFR0_EL1 */
	uint64_t mmfr1;   /* ID_AA64MMFR1_EL1 */
	uint64_t mmfr2;   /* ID_AA64MMFR2_EL1 */
};

/* What one granule can do at stage 2. */
struct s2_gran_caps {
	bool s2;          /* usable at stage 2 (TGranX_2, 0 = as TGranX) */
	bool s2_52;       /* 52-bit addresses at stage 2 (LPA2 for 4K/16K,
			     LPA for 64K) */
	bool linux_lpa2;  /* Linux's has_lpa2() for a kernel of this page
			     size (4K/16K): TGranX is exactly its 52-bit
			     value and TGranX_2 exactly 3 */
};

/* Decoded capabilities. */
struct s2_host_caps {
	unsigned parange;        /* raw ID_AA64MMFR0_EL1.PARange */
	unsigned pa_bits;        /* PARange in bits: 32..52 */
	struct s2_gran_caps gran[3];   /* indexed by s2_gran_index() */
	bool lpa;                /* FEAT_LPA: 52-bit PA with 64K (PARange=52) */
	bool lpa2;               /* FEAT_LPA2 at stage 2 for 4K or 16K */
	unsigned vmid_bits;      /* 8 or 16 */
	bool ha;                 /* hardware Access flag update */
	bool hd;                 /* hardware dirty state (DBM) */
	bool ttl;                /* TLBI level hints (FEAT_TTL) */
	unsigned bbm;            /* FEAT_BBM level, 0..2 */
	unsigned tgran2[3];      /* raw TGranX_2 fields (0..15) by
				    s2_gran_index(), for messages */
};

/* Policy for how many stage-2 levels a VM may use. */
enum s2_policy {
	/* Linux today: levels follow from the IPA size alone. */
	S2_POLICY_INDEPENDENT = 0,
	/* No more stage-2 levels than the host's stage 1 has for its VA size
	   and page size (stage-2 tables walked with the host's stage-1
	   accessors); 52 bits only with 64K pages (FEAT_LPA). */
	S2_POLICY_CAPPED = 1,
};

/* s2_host_config.kernel_pa_bits when the kernel's PA size is not given. */
#define S2_KERNEL_PA_UNSET 0

/* How the host kernel/hypervisor is configured on top of the CPU. */
struct s2_host_config {
	enum s2_granule granule;  /* stage-2 granule (KVM: the host page size) */
	bool lpa2;                /* use LPA2 (VTCR.DS=1) when the CPU has it */
	unsigned kernel_pa_bits;  /* the host kernel's PA size
				     (CONFIG_ARM64_PA_BITS: 48 or 52), or
				     S2_KERNEL_PA_UNSET */
	enum s2_policy policy;
	unsigned host_va_bits;    /* host stage-1 VA size; only for CAPPED */
};

/* The resolved host: what a VM may ask for. */
struct s2_host {
	struct s2_host_caps caps;
	struct s2_host_config cfg;
	bool ds;                 /* LPA2 is in use: VTCR.DS=1, 52-bit 4K/16K */
	unsigned ps_bits;        /* VTCR.PS for every VM, in bits */
	unsigned ipa_limit;      /* KVM_CAP_ARM_VM_IPA_SIZE */
};

#define S2_IPA_MIN 32        /* smallest IPA a VM may ask for */
#define S2_IPA_DEFAULT 40    /* VM type 0 */

/**
 * s2_gran_index() - where granule @g sits in s2_host_caps.gran[]: 0 for
 * 4K, 1 for 16K, 2 for 64K (and anything else).
 */
static inline unsigned s2_gran_index(enum s2_granule g)
{
	return g == S2_GRANULE_4K ? 0 : g == S2_GRANULE_16K ? 1 : 2;
}

/**
 * s2_parange_bits() - PARange/PS encoding to bits.
 * @enc: 0..6.
 * No diag (s2/err.h's diagnostics rule: a converter of one value).
 * Return: 32, 36, 40, 42, 44, 48 or 52; S2_EINVAL for reserved encodings.
 */
int s2_parange_bits(unsigned enc);

/**
 * s2_parange_enc() - @bits to PARange/PS encoding.
 * No diag (a converter of one value).
 * Return: 0..6, or S2_EINVAL if @bits is not one of the seven sizes.
 */
int s2_parange_enc(unsigned bits);

/**
 * s2_parange_round_up() - the smallest PARange size >= @bits.
 * No diag (a converter of one value).
 * Return: bits (32..52), or S2_ERANGE for bits > 52.
 */
int s2_parange_round_up(unsigned bits);

/**
 * s2_host_caps_decode() - decode @regs, ID_AA64MMFR{0,1,2}_EL1, into
 * *@caps (@d: message on failure, may be NULL).
 * Reserved PARange values above 52 bits are treated as 52 (the
 * architecture says later values only ever grow); s2_host_init() gives
 * them the kernel's PA size when it is known, as Linux does.
 * TGranX_2 as Linux's kvm_set_ipa_limit() reads it: 0 defers to the
 * stage-1 field, 1 is no, 2..7 yes (52-bit only at 3, Linux's
 * has_lpa2_at_stage2()), and the reserved 8..15 make the granule unusable
 * (KVM refuses to start with them).
 * Return: 0, or S2_EINVAL if no granule is usable at stage 2.
 */
int s2_host_caps_decode(const struct s2_id_regs *regs, struct s2_host_caps *caps,
			struct s2_diag *d);

/**
 * s2_id_regs_synth() - *@regs, the ID registers of a model CPU with
 * @pa_bits of PA (@d: message on failure, may be NULL):
 * every granule at stage 2, LPA2 and LPA when @pa_bits is 52, 16-bit
 * VMIDs, HA/HD, TTL. For tools and tests that start from a PA size.
 * Return: 0, or S2_EINVAL if @pa_bits is not a PARange size.
 */
int s2_id_regs_synth(unsigned pa_bits, struct s2_id_regs *regs, struct s2_diag *d);

/**
 * s2_host_init() - resolve the VM limits of a host.
 * @h:    result.
 * @caps: decoded CPU capabilities.
 * @cfg:  granule, LPA2 wish, software PA limit, policy.
 * @d:    message on failure (may be NULL).
 *
 * The IPA limit is PARange, capped at 48 unless the granule is 64K with
 * FEAT_LPA or LPA2 is in use, as Linux's kvm_set_ipa_limit(). LPA2 is in
 * use when asked for, or when @cfg->kernel_pa_bits is 52 with 4K/16K and
 * the CPU has it (such a kernel is built with LPA2). The kernel's PA size
 * caps VTCR.PS (@h->ps_bits), never the limit. Under S2_POLICY_CAPPED the
 * limit is further capped to the largest IPA whose stage-2 levels do not
 * exceed the host stage-1 levels, and 52 bits need 64K. A reserved
 * PARange (7..15) that the 48-bit cap does not apply to gives the
 * kernel's PA size when @cfg->kernel_pa_bits is set (Linux's
 * id_aa64mmfr0_parange_to_phys_shift() answers CONFIG_ARM64_PA_BITS), else
 * 52.
 *
 * Return: 0; S2_EINVAL for a granule that is not 4K/16K/64K, an
 * unsupported host VA size, a kernel PA size other than S2_KERNEL_PA_UNSET,
 * 48 or 52, or
 * LPA2 asked for with a 48-bit kernel; S2_ENOTSUP when the CPU cannot use the granule
 * at stage 2 (the message names a reserved TGranX_2 value), or LPA2 is
 * asked for but missing. @h is written only on
 * success.
 */
int s2_host_init(struct s2_host *h, const struct s2_host_caps *caps,
		 const struct s2_host_config *cfg, struct s2_diag *d);

/**
 * s2_stage1_levels() - levels of a stage-1 table for @va_bits of VA and
 * pages of granule @g (Linux's ARM64_HW_PGTABLE_LEVELS).
 * Return: the level count; 0 for a granule that is not 4K/16K/64K or a VA
 * size outside 12..64.
 */
unsigned s2_stage1_levels(enum s2_granule g, unsigned va_bits);

/**
 * s2_stage2_levels() - levels Linux uses at stage 2 for @ipa_bits of IPA
 * with granule @g:
 * ARM64_HW_PGTABLE_LEVELS(ipa - 4), never fewer than 2 (so up to 16
 * tables are concatenated at the start level instead of adding a level).
 * Return: the level count; 0 for a granule that is not 4K/16K/64K or an
 * IPA size outside 32..52.
 */
unsigned s2_stage2_levels(enum s2_granule g, unsigned ipa_bits);

/**
 * s2_policy_allows() - may a VM of @ipa_bits run under @policy on a host
 * with @host_va_bits (36..52) of stage-1 VA and granule @g, given a CPU
 * that has every feature?
 *
 * INDEPENDENT is Linux 6.12: any IPA up to 48 bits; beyond, 64K always
 * (FEAT_LPA), 4K and 16K only on a 52-bit-VA host (LPA2 needs
 * ARM64_PA_BITS_52, which depends on ARM64_VA_BITS_52 unless pages are
 * 64K).
 *
 * Return: 1 yes; 0 no (more stage-2 levels than the host has, or a
 * 52-bit IPA whose descriptors the granule cannot express on that host
 * under the policy); S2_ENOTSUP ("n/a") when the policy has no 52-bit
 * support for the granule at all (CAPPED with 4K/16K); S2_EINVAL for bad
 * arguments (a granule, VA size or IPA size out of range).
 * No diag (a converter of one value: the policy table's cell).
 */
int s2_policy_allows(enum s2_policy policy, enum s2_granule g,
		     unsigned host_va_bits, unsigned ipa_bits);

/**
 * s2_policy_parse() - parse @s, "capped" or "independent", into *@p.
 * @d: message on failure (may be NULL).
 * Return: 0; S2_EINVAL (the message lists both names) for anything else.
 */
int s2_policy_parse(const char *s, enum s2_policy *p, struct s2_diag *d);

/** s2_policy_name() - "capped" for @p S2_POLICY_CAPPED, else "independent". */
const char *s2_policy_name(enum s2_policy p);

#endif

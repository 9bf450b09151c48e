/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 fault addresses and syndromes: PAR_EL1 to HPFAR_EL2, HPFAR/FAR
 * to the faulting IPA, and ESR_EL2 abort decoding, all 52-bit clean.
 */
#ifndef S2_FAULT_H
#define S2_FAULT_H

#include <s2/err.h>
#include <s2/types.h>

/**
 * s2_par_to_hpfar() - HPFAR_EL2 layout of the address in @par, a
 * successful PAR_EL1: (par & GENMASK(51, 12)) >> 8. (For AT S1E1 results
 * used to reconstruct HPFAR when the hardware did not provide it.)
 */
static inline uint64_t s2_par_to_hpfar(uint64_t par)
{
	return (par & S2_GENMASK(51, 12)) >> 8;
}

/**
 * s2_par_pa() - the PA in @par, a successful PAR_EL1 (bits [51:12]), with
 * the page offset of @va, the address the AT instruction translated.
 */
static inline s2_pa_t s2_par_pa(uint64_t par, uint64_t va)
{
	return s2_pa((par & S2_GENMASK(51, 12)) | (va & 0xfff));
}

/**
 * s2_fault_ipa() - the faulting IPA from @hpfar, HPFAR_EL2 (FIPA, bits
 * [43:4], holds IPA[51:12]), and the page offset from @far, FAR_EL2.
 */
static inline s2_ipa_t s2_fault_ipa(uint64_t hpfar, uint64_t far)
{
	return s2_ipa(((hpfar & S2_GENMASK(43, 4)) << 8) | (far & 0xfff));
}

/* Exception classes that carry aborts. */
#define S2_EC_IABT_LOW   0x20
#define S2_EC_IABT_CUR   0x21
#define S2_EC_DABT_LOW   0x24
#define S2_EC_DABT_CUR   0x25

enum s2_fault_kind {
	S2_FAULT_NONE = 0,
	S2_FAULT_ADDR_SIZE,
	S2_FAULT_TRANSLATION,
	S2_FAULT_ACCESS,
	S2_FAULT_PERMISSION,
	S2_FAULT_EXTERNAL,        /* synchronous external abort */
	S2_FAULT_EXTERNAL_WALK,   /* ... on a translation table walk */
	S2_FAULT_ECC,             /* parity/ECC */
	S2_FAULT_ECC_WALK,
	S2_FAULT_ALIGNMENT,
	S2_FAULT_GRANULE_PROT,    /* granule protection (FEAT_RME) */
	S2_FAULT_GRANULE_PROT_WALK,
	S2_FAULT_TLB_CONFLICT,
	S2_FAULT_ATOMIC_HW_UPDATE,
	S2_FAULT_TAG_CHECK,
	S2_FAULT_IMPDEF,
	S2_FAULT_OTHER,           /* reserved or unknown FSC */
};

/* The level of a fault status code that has none. */
#define S2_FSC_NO_LEVEL S2_LEVEL_NONE

/**
 * s2_fsc_decode() - decode a 6-bit fault status code @fsc (ESR DFSC/IFSC
 * or PAR_EL1.FST) into its kind, and into *@level (if non-NULL) -1..3
 * where the code has one (including the LPA2 level -1 and level 0
 * codes), else S2_FSC_NO_LEVEL.
 */
enum s2_fault_kind s2_fsc_decode(unsigned fsc, int *level);

/** s2_fault_kind_name() - "translation", "permission", ... for @k. */
const char *s2_fault_kind_name(enum s2_fault_kind k);

/** A decoded ESR_EL2 for an instruction or data abort. */
struct s2_esr {
	unsigned ec;
	bool il;          /* 32-bit instruction */
	bool isv;         /* the syndrome fields below are valid */
	unsigned sas;     /* access size, log2 bytes (0..3) */
	bool sse;         /* sign extend */
	unsigned srt;     /* register number, 31 = xzr */
	bool sf;          /* 64-bit register */
	bool ar;          /* acquire/release */
	bool fnv;         /* FAR is not valid */
	bool ea;
	bool cm;          /* cache maintenance */
	bool s1ptw;       /* fault on the stage-1 walk */
	bool wnr;         /* write */
	unsigned fsc;
	enum s2_fault_kind kind;
	int level;        /* -1..3 or S2_FSC_NO_LEVEL */
	bool is_data;     /* data abort (not instruction) */
	bool lower_el;
};

/**
 * s2_esr_decode() - decode @esr, an ESR_EL2 value, into *@e.
 * @d: message on failure (may be NULL).
 * Return: 0; S2_EINVAL (message names the EC) if the EC is not an
 * instruction or data abort. For instruction aborts ISV and the data
 * fields read as 0.
 */
int s2_esr_decode(uint64_t esr, struct s2_esr *e, struct s2_diag *d);

/** Decoded PAR_EL1 after an AT instruction. */
struct s2_par {
	bool f;               /* the translation failed */
	s2_pa_t pa;           /* F=0: PA[51:12] (page-aligned) */
	unsigned attr;        /* F=0: MAIR-style memory attributes [63:56] */
	unsigned sh;          /* F=0: shareability [8:7] */
	unsigned fst;         /* F=1: fault status code */
	enum s2_fault_kind kind;
	int level;
	bool s2;              /* F=1: stage-2 fault (PAR.S) */
	bool ptw;             /* F=1: on stage-1 walk (PAR.PTW) */
};

/** s2_par_decode() - decode @par, PAR_EL1 (64-bit format), into *@p. */
void s2_par_decode(uint64_t par, struct s2_par *p);

#endif

/* SPDX-License-Identifier: MIT */
/* Fault status codes, ESR_EL2 aborts and PAR_EL1 (Arm ARM D19, ESR_ELx). */
#include <s2/fault.h>

enum s2_fault_kind s2_fsc_decode(unsigned fsc, int *level)
{
	int lvl = (int)(fsc & 3);
	enum s2_fault_kind k;

	fsc &= 0x3f;
	switch (fsc) {
	case 0x00 ... 0x03: k = S2_FAULT_ADDR_SIZE; break;
	case 0x04 ... 0x07: k = S2_FAULT_TRANSLATION; break;
	case 0x08 ... 0x0b: k = S2_FAULT_ACCESS; break;
	case 0x0c ... 0x0f: k = S2_FAULT_PERMISSION; break;
	case 0x14 ... 0x17: k = S2_FAULT_EXTERNAL_WALK; break;
	case 0x1c ... 0x1f: k = S2_FAULT_ECC_WALK; break;
	case 0x24 ... 0x27: k = S2_FAULT_GRANULE_PROT_WALK; break;
	/* FEAT_LPA2 level -1 encodings. */
	case 0x29: k = S2_FAULT_ADDR_SIZE; lvl = -1; break;
	case 0x2b: k = S2_FAULT_TRANSLATION; lvl = -1; break;
	case 0x13: k = S2_FAULT_EXTERNAL_WALK; lvl = -1; break;
	case 0x1b: k = S2_FAULT_ECC_WALK; lvl = -1; break;
	case 0x23: k = S2_FAULT_GRANULE_PROT_WALK; lvl = -1; break;
	default:
		lvl = S2_FSC_NO_LEVEL;
		switch (fsc) {
		case 0x10: k = S2_FAULT_EXTERNAL; break;
		case 0x11: k = S2_FAULT_TAG_CHECK; break;
		case 0x18: k = S2_FAULT_ECC; break;
		case 0x21: k = S2_FAULT_ALIGNMENT; break;
		case 0x28: k = S2_FAULT_GRANULE_PROT; break;
		case 0x30: k = S2_FAULT_TLB_CONFLICT; break;
		case 0x31: k = S2_FAULT_ATOMIC_HW_UPDATE; break;
		case 0x34: case 0x35: k = S2_FAULT_IMPDEF; break;
		default: k = S2_FAULT_OTHER; break;
		}
	}
	if (level)
		*level = lvl;
	return k;
}

const char *s2_fault_kind_name(enum s2_fault_kind k)
{
	static const char *const names[] = {
		[S2_FAULT_NONE] = "none",
		[S2_FAULT_ADDR_SIZE] = "address-size",
		[S2_FAULT_TRANSLATION] = "translation",
		[S2_FAULT_ACCESS] = "access-flag",
		[S2_FAULT_PERMISSION] = "permission",
		[S2_FAULT_EXTERNAL] = "external",
		[S2_FAULT_EXTERNAL_WALK] = "external-walk",
		[S2_FAULT_ECC] = "ecc",
		[S2_FAULT_ECC_WALK] = "ecc-walk",
		[S2_FAULT_ALIGNMENT] = "alignment",
		[S2_FAULT_GRANULE_PROT] = "granule-protection",
		[S2_FAULT_GRANULE_PROT_WALK] = "granule-protection-walk",
		[S2_FAULT_TLB_CONFLICT] = "tlb-conflict",
		[S2_FAULT_ATOMIC_HW_UPDATE] = "atomic-hw-update",
		[S2_FAULT_TAG_CHECK] = "tag-check",
		[S2_FAULT_IMPDEF] = "implementation-defined",
		[S2_FAULT_OTHER] = "other",
	};
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "other";
}

int s2_esr_decode(uint64_t esr, struct s2_esr *out, struct s2_diag *d)
{
	struct s2_esr e = { 0 };
	uint64_t iss = esr & S2_GENMASK(24, 0);

	e.ec = (unsigned)(esr >> 26) & 0x3f;
	if (e.ec != S2_EC_DABT_LOW && e.ec != S2_EC_DABT_CUR &&
	    e.ec != S2_EC_IABT_LOW && e.ec != S2_EC_IABT_CUR)
		return s2_diag_set(d, S2_EINVAL,
				   "ESR %#llx has EC %#x, not an abort (0x20/0x21 instruction, 0x24/0x25 data)",
				   (unsigned long long)esr, e.ec);
	e.is_data = e.ec == S2_EC_DABT_LOW || e.ec == S2_EC_DABT_CUR;
	e.lower_el = e.ec == S2_EC_DABT_LOW || e.ec == S2_EC_IABT_LOW;
	e.il = esr & S2_BIT(25);
	e.fnv = iss & S2_BIT(10);
	e.ea = iss & S2_BIT(9);
	e.s1ptw = iss & S2_BIT(7);
	e.fsc = (unsigned)iss & 0x3f;
	e.kind = s2_fsc_decode(e.fsc, &e.level);
	if (e.is_data) {
		e.isv = iss & S2_BIT(24);
		e.cm = iss & S2_BIT(8);
		e.wnr = iss & S2_BIT(6);
		/* SAS/SSE/SRT/SF/AR are valid only with ISV (Arm ARM, ISS
		   encoding for a Data Abort). */
		if (e.isv) {
			e.sas = (unsigned)(iss >> 22) & 3;
			e.sse = iss & S2_BIT(21);
			e.srt = (unsigned)(iss >> 16) & 0x1f;
			e.sf = iss & S2_BIT(15);
			e.ar = iss & S2_BIT(14);
		}
	}
	*out = e;
	return 0;
}

void s2_par_decode(uint64_t par, struct s2_par *p)
{
	struct s2_par r = { 0 };

	r.f = par & 1;
	if (r.f) {
		r.fst = (unsigned)(par >> 1) & 0x3f;
		r.kind = s2_fsc_decode(r.fst, &r.level);
		r.ptw = par & S2_BIT(8);
		r.s2 = par & S2_BIT(9);
	} else {
		r.pa = s2_pa(par & S2_GENMASK(51, 12));
		r.sh = (unsigned)(par >> 7) & 3;
		r.attr = (unsigned)(par >> 56);
		r.level = S2_FSC_NO_LEVEL;
	}
	*p = r;
}

/* SPDX-License-Identifier: MIT */
/* The host options of `limits` and `vm-type`: a CPU and its configuration. */
#include "s2ctl.h"

/* Without a CPU (vm-type only): the model of a fully featured 52-bit CPU. */
#define DEFAULT_PA_BITS 52

void hostopt_init(struct hostopt *o)
{
	*o = (struct hostopt){ 0 };
	o->cfg.granule = S2_GRANULE_4K;
	o->cfg.policy = S2_POLICY_INDEPENDENT;
}

int hostopt_handle(void *ctx, const struct cmd *c, int ch, const char *arg, int *rc)
{
	struct hostopt *o = ctx;
	struct s2_diag d;
	uint64_t u;
	long l = 0;

	switch (ch) {
	case OPT_PA_BITS:
		o->have_pa = true;
		*rc = num_opt_pa_bits(c, "--pa-bits", arg, &o->pa_bits);
		return 1;
	case OPT_MMFR0:
		o->have_mmfr0 = true;
		*rc = num_opt_u64(c, "--mmfr0", arg, &o->regs.mmfr0);
		return 1;
	case OPT_MMFR1:
		o->have_mmfr1 = true;
		*rc = num_opt_u64(c, "--mmfr1", arg, &o->regs.mmfr1);
		return 1;
	case OPT_MMFR2:
		o->have_mmfr2 = true;
		*rc = num_opt_u64(c, "--mmfr2", arg, &o->regs.mmfr2);
		return 1;
	case OPT_GRANULE:
		*rc = num_opt_granule(c, arg, &o->cfg.granule);
		return 1;
	case OPT_LPA2:
		o->cfg.lpa2 = true;
		*rc = 0;
		return 1;
	case OPT_KPA_BITS:
		/* CONFIG_ARM64_PA_BITS: 48 or 52 in Linux 6.12. */
		if (num_parse_u64(arg, &u) || (u != 48 && u != 52)) {
			*rc = usage_error(c, "--kernel-pa-bits '%s' is not a kernel PA size: "
					  "CONFIG_ARM64_PA_BITS is 48 or 52", arg);
			return 1;
		}
		o->cfg.kernel_pa_bits = (unsigned)u;
		*rc = 0;
		return 1;
	case OPT_POLICY:
		o->have_policy = true;
		*rc = s2_policy_parse(arg, &o->cfg.policy, &d) ?
		      usage_error(c, "--policy: %s", d.msg) : 0;
		return 1;
	case OPT_HOST_VA:
		o->have_va = true;
		*rc = num_opt_range(c, "--host-va-bits", arg, 36, 52, &l);
		o->cfg.host_va_bits = (unsigned)l;
		return 1;
	}
	return 0;
}

int hostopt_finish(struct hostopt *o, const struct cmd *c, bool required)
{
	if (o->have_pa && o->have_mmfr0)
		return usage_error(c, "give the CPU either as --pa-bits or as --mmfr0, not both");
	if ((o->have_mmfr1 || o->have_mmfr2) && !o->have_mmfr0)
		return usage_error(c, "--mmfr1/--mmfr2 need --mmfr0 (--pa-bits makes all three)");
	if (required && !o->have_pa && !o->have_mmfr0)
		return usage_error(c, "no host CPU: give --pa-bits P (32 36 40 42 44 48 52) "
				   "or --mmfr0 HEX");
	if (o->cfg.policy == S2_POLICY_CAPPED && !o->have_va)
		return usage_error(c, "--policy capped needs --host-va-bits V (36..52): the "
				   "host stage-1 VA size caps the stage-2 levels");
	if (o->have_va && o->cfg.policy != S2_POLICY_CAPPED)
		return usage_error(c, "--host-va-bits only matters with --policy capped");
	if (!o->have_pa && !o->have_mmfr0) {
		o->have_pa = true;
		o->pa_bits = DEFAULT_PA_BITS;
	}
	return 0;
}

int hostopt_resolve(struct hostopt *o, const struct cmd *c, struct s2_host *h)
{
	struct s2_host_caps caps;
	struct s2_diag d = { "" };
	int err;

	if (o->have_pa) {
		err = s2_id_regs_synth(o->pa_bits, &o->regs, &d);
		if (err)
			return lib_error(c, err, &d);
	}
	err = s2_host_caps_decode(&o->regs, &caps, &d);
	if (!err)
		err = s2_host_init(h, &caps, &o->cfg, &d);
	return err ? lib_error(c, err, &d) : 0;
}

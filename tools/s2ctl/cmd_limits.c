/* SPDX-License-Identifier: MIT */
/* s2ctl limits: the decoded host and the IPA limit a KVM_CAP_ARM_VM_IPA_SIZE
   query would return. */
#include "s2ctl.h"

static const char usage[] =
	"usage: s2ctl limits (--pa-bits P | --mmfr0 HEX [--mmfr1 HEX] [--mmfr2 HEX])\n"
	"                    [--granule 4k|16k|64k] [--lpa2] [--kernel-pa-bits P]\n"
	"                    [--policy capped|independent --host-va-bits V] [--json]\n"
	"Decode the host's ID registers and resolve the VM limits for a stage-2\n"
	"configuration: the IPA limit (what KVM_CAP_ARM_VM_IPA_SIZE returns) and\n"
	"VTCR.PS. --pa-bits stands for a model CPU with every feature (LPA/LPA2 only\n"
	"at 52 bits, 16-bit VMIDs, HA/HD).\n\n"
	HOST_USAGE;

static const enum s2_granule grans[] = { S2_GRANULE_4K, S2_GRANULE_16K, S2_GRANULE_64K };
static const char *const gran_keys[] = { "4k", "16k", "64k" };

static void print_json(const struct s2_host *h, const struct s2_id_regs *r)
{
	const struct s2_host_caps *k = &h->caps;
	struct json j;

	j_begin(&j, stdout);
	j_hex(&j, "mmfr0", r->mmfr0);
	j_hex(&j, "mmfr1", r->mmfr1);
	j_hex(&j, "mmfr2", r->mmfr2);
	j_u64(&j, "parange", k->parange);
	j_u64(&j, "pa_bits", k->pa_bits);
	j_u64(&j, "granule", 1ULL << h->cfg.granule);
	j_bool(&j, "lpa2_requested", h->cfg.lpa2);
	j_bool(&j, "lpa2", h->ds);
	j_bool(&j, "lpa", k->lpa);
	j_u64(&j, "ipa_limit", h->ipa_limit);
	j_u64(&j, "ps_bits", h->ps_bits);
	j_u64(&j, "vmid_bits", k->vmid_bits);
	j_bool(&j, "ha", k->ha);
	j_bool(&j, "hd", k->hd);
	j_bool(&j, "ttl", k->ttl);
	j_u64(&j, "bbm", k->bbm);
	if (h->cfg.kernel_pa_bits)
		j_u64(&j, "kernel_pa_bits", h->cfg.kernel_pa_bits);
	else
		j_null(&j, "kernel_pa_bits");
	j_str(&j, "policy", s2_policy_name(h->cfg.policy));
	if (h->cfg.policy == S2_POLICY_CAPPED)
		j_u64(&j, "host_va_bits", h->cfg.host_va_bits);
	else
		j_null(&j, "host_va_bits");
	j_obj(&j, "granules");
	for (unsigned i = 0; i < 3; i++) {
		const struct s2_gran_caps *g = &k->gran[s2_gran_index(grans[i])];
		j_obj(&j, gran_keys[i]);
		j_bool(&j, "stage2", g->s2);
		j_bool(&j, "52bit", g->s2_52);
		j_close_obj(&j);
	}
	j_close_obj(&j);
	j_end(&j);
}

static void print_text(const struct s2_host *h, const struct s2_id_regs *r)
{
	const struct s2_host_caps *k = &h->caps;

	printf("ID registers   MMFR0 0x%016llx  MMFR1 0x%016llx  MMFR2 0x%016llx\n",
	       (unsigned long long)r->mmfr0, (unsigned long long)r->mmfr1,
	       (unsigned long long)r->mmfr2);
	printf("PA size        %u bits (PARange %u)%s\n", k->pa_bits, k->parange,
	       k->lpa ? ", FEAT_LPA" : "");
	printf("stage 2        ");
	for (unsigned i = 0; i < 3; i++) {
		const struct s2_gran_caps *g = &k->gran[s2_gran_index(grans[i])];
		printf("%s%s %s", i ? ", " : "", s2_granule_name(grans[i]),
		       !g->s2 ? "no" : g->s2_52 ? "52-bit" : "48-bit");
	}
	printf("\nVMID           %u bits; HA %s, HD %s, TTL %s, BBM %u\n", k->vmid_bits,
	       k->ha ? "yes" : "no", k->hd ? "yes" : "no", k->ttl ? "yes" : "no", k->bbm);
	printf("configuration  %s granule, LPA2 %s, kernel PA limit ",
	       s2_granule_name(h->cfg.granule),
	       h->ds ? "in use" : h->cfg.lpa2 ? "not for 64K (FEAT_LPA gives it 52 bits)" : "off");
	if (h->cfg.kernel_pa_bits)
		printf("%u bits", h->cfg.kernel_pa_bits);
	else
		printf("none");
	printf(", policy %s", s2_policy_name(h->cfg.policy));
	if (h->cfg.policy == S2_POLICY_CAPPED)
		printf(" (host VA %u bits)", h->cfg.host_va_bits);
	printf("\nIPA limit      %u bits (KVM_CAP_ARM_VM_IPA_SIZE)\n", h->ipa_limit);
	printf("VTCR.PS        %u bits\n", h->ps_bits);
}

int cmd_limits(int argc, char **argv)
{
	static const struct option lo[] = { COMMON_LONGOPTS, HOST_LONGOPTS, { 0 } };
	struct cmd c = { "limits", usage, false };
	struct hostopt o;
	struct s2_host h;
	int rc;

	hostopt_init(&o);
	rc = parse_opts(&c, argc, argv, lo, hostopt_handle, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	if ((rc = expect_args(&c, argc, argv, 0)) || (rc = hostopt_finish(&o, &c, true)) ||
	    (rc = hostopt_resolve(&o, &c, &h)))
		return rc;
	if (c.json)
		print_json(&h, &o.regs);
	else
		print_text(&h, &o.regs);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* vCPUs on several CPUs: the run loop and the shared stage-2 fault path. */
#include <stdarg.h>
#include <s2/fault.h>
#include "defer.h"
#include "inject.h"
#include "irq.h"
#include "printf.h"
#include "smp.h"
#include "sysreg.h"
#include "vcpu.h"

#define EC_WFX   0x01
#define EC_HVC64 0x16
#define EC_SYS64 0x18

void vcpu_init(struct vcpu *v, struct vm *vm, unsigned idx)
{
	*v = (struct vcpu){ .vm = vm, .idx = idx };
	v->regs.elr = vm->ram_ipa;
	v->regs.spsr = SPSR_EL1H_MASKED;
	v->el1.sctlr = SCTLR_EL1_GUEST;
}

void vcpu_destroy(struct vcpu *v)
{
	s2_cache_free(&v->vm->s2.pgt, &v->cache);
}

static void load(struct vcpu *v)
{
	vm_el1_load(&v->el1);
	/* The vCPU's own MPIDR as its guest reads it: Aff0 = its index. */
	write_sysreg((1ULL << 31) | v->idx, vmpidr_el2);
	stage2_load(&v->vm->s2);
	write_sysreg(v->vm->hcr, hcr_el2);
	write_sysreg(v->vm->mdcr, mdcr_el2);
	isb();
}

static struct vcpu_exit *stop(struct vcpu *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static struct vcpu_exit *stop(struct vcpu *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->exit.why, sizeof(v->exit.why), fmt, ap);
	va_end(ap);
	v->exit.kind = VCPU_EXIT_STOP;
	return &v->exit;
}

/* What the access needs, and no more. */
static unsigned access_prot(const struct s2_esr *e)
{
	if (!e->is_data)
		return S2_PROT_R | S2_PROT_X;
	return e->wnr && !e->cm ? S2_PROT_R | S2_PROT_W : S2_PROT_R;
}

static int map_fault(struct vcpu *v, const struct s2_esr *e, uint64_t ipa, struct s2_diag *d)
{
	struct vm *vm = v->vm;
	struct s2_pgtable *pgt = &vm->s2.pgt;
	uint64_t base, size, need, had = v->cache.n;
	s2_pa_t pa;
	int rc;

	vm_ram_leaf(vm, ipa, &base, &size);
	pa = s2_pa(base - vm->ram_ipa + vm->ram_pa);
	/* Allocate before the lock: the shared call takes only from here. */
	need = s2_map_cache_pages(pgt, s2_ipa(base), size, pa, S2_MAP_SHARED);
	rc = s2_cache_topup(pgt, &v->cache, need, d);
	if (rc)
		return rc;
	if (v->cache.n > had)
		v->st.topups++;
	read_lock(&vm->mmu_lock);
	defer_enter();
	/* Mapped since the fault (another CPU's fault on the same page, or
	   a stale TLB entry): the call below only adds what is missing. */
	if (s2_lookup(pgt, s2_ipa(ipa), NULL))
		v->st.already++;
	rc = s2_map_cached(pgt, s2_ipa(base), size, pa, access_prot(e), S2_MAP_SHARED,
			   &v->cache, d);
	defer_exit();
	read_unlock(&vm->mmu_lock);
	if (rc == 0)
		v->st.maps++;
	return rc;
}

static int perm_fault(struct vcpu *v, const struct s2_esr *e, uint64_t ipa)
{
	struct vm *vm = v->vm;
	unsigned want = !e->is_data ? S2_PROT_X : e->wnr && !e->cm ? S2_PROT_W : S2_PROT_R;
	int rc;

	read_lock(&vm->mmu_lock);
	defer_enter();
	rc = s2_relax_perms(&vm->s2.pgt, s2_ipa(ipa), want);
	defer_exit();
	read_unlock(&vm->mmu_lock);
	if (rc == 1)
		v->st.relaxed++;
	else if (rc == 0)
		v->st.stale++;
	else if (rc == S2_ENOENT)
		return S2_EAGAIN;   /* being replaced by another CPU: fault again */
	if (rc >= 0)
		stage2_tlbi_ipa_local(&vm->s2, ipa);
	return rc < 0 ? rc : 0;
}

/* A stage-2 abort in RAM; NULL when the guest can go on. */
static struct vcpu_exit *ram_fault(struct vcpu *v, const struct s2_esr *e, uint64_t ipa)
{
	struct vm *vm = v->vm;
	struct s2_diag d = { 0 };
	int rc;

	v->st.faults++;
	switch (e->kind) {
	case S2_FAULT_TRANSLATION:
		rc = map_fault(v, e, ipa, &d);
		break;
	case S2_FAULT_PERMISSION:
		rc = perm_fault(v, e, ipa);
		break;
	case S2_FAULT_ACCESS:
		read_lock(&vm->mmu_lock);
		defer_enter();
		rc = s2_mkyoung(&vm->s2.pgt, s2_ipa(ipa));
		defer_exit();
		read_unlock(&vm->mmu_lock);
		v->st.young++;
		/* S2_ENOENT: another CPU is replacing the entry; fault again. */
		rc = rc == S2_ENOENT ? S2_EAGAIN : rc < 0 ? rc : 0;
		break;
	default:
		return stop(v, "%s fault (level %d) at %#llx in RAM", s2_fault_kind_name(e->kind),
			    e->level, (unsigned long long)ipa);
	}
	if (rc == S2_EAGAIN) {
		v->st.lost++;
		return NULL;
	}
	if (rc)
		return stop(v, "%s fault at %#llx: %s %s", s2_fault_kind_name(e->kind),
			    (unsigned long long)ipa, s2_errname(rc), d.msg);
	return NULL;
}

static struct vcpu_exit *handle(struct vcpu *v, unsigned kind)
{
	uint64_t esr = read_sysreg(esr_el2);
	unsigned ec = (unsigned)(esr >> 26) & 0x3f;
	struct vm *vm = v->vm;
	struct s2_esr e;
	struct s2_diag d;
	uint64_t ipa;

	v->exit.esr = esr;
	if (kind == VEC_LOW64_IRQ) {
		/* Acknowledged while its source still asserts it, as vm.c. */
		unsigned id = irq_ack();

		timer_disarm();
		if (id != GIC_SPURIOUS)
			irq_eoi(id);
		v->st.irqs++;
		return NULL;
	}
	timer_disarm();
	if (kind != VEC_LOW64_SYNC)
		return stop(v, "unexpected exception kind %u (ESR_EL2=%#llx)", kind,
			    (unsigned long long)esr);
	switch (ec) {
	case S2_EC_DABT_LOW:
	case S2_EC_IABT_LOW:
		if (s2_esr_decode(esr, &e, &d))
			return stop(v, "%s", d.msg);
		ipa = s2_fault_ipa(read_sysreg(hpfar_el2), read_sysreg(far_el2)).v;
		v->exit.ipa = ipa;
		if (ipa >= vm->ram_ipa && ipa - vm->ram_ipa < vm->ram_size)
			return ram_fault(v, &e, ipa);
		if (!e.is_data)
			return stop(v, "instruction fetch from IPA %#llx outside RAM",
				    (unsigned long long)ipa);
		v->exit.kind = VCPU_EXIT_MMIO;
		return &v->exit;
	case EC_WFX:
		v->regs.elr += 4;
		v->exit.kind = VCPU_EXIT_WFI;
		return &v->exit;
	case EC_HVC64:
		v->exit.kind = VCPU_EXIT_HVC;
		return &v->exit;
	case EC_SYS64:
		/* Nothing is emulated here: UNDEFINED, as vm.c makes what
		   its virtual GIC does not handle. */
		inject_undef(&v->regs, esr);
		v->st.undefs++;
		return NULL;
	default:
		return stop(v, "unhandled exit EC=%#x ESR_EL2=%#llx at ELR=%#llx", ec,
			    (unsigned long long)esr, (unsigned long long)v->regs.elr);
	}
}

struct vcpu_exit *vcpu_run(struct vcpu *v)
{
	struct vcpu_exit *x;

	v->cpu = this_cpu()->id;
	load(v);
	do {
		/* Outside every shared walk: a quiescent point. */
		defer_reclaim();
		if (v->run_until) {
			if (read_sysreg(cntpct_el0) >= v->run_until) {
				v->exit.kind = VCPU_EXIT_TIMEOUT;
				x = &v->exit;
				break;
			}
			timer_arm_us(VCPU_SLICE_US);
		}
		unsigned kind = guest_run(&v->regs);
		v->st.exits++;
		x = handle(v, kind);
	} while (!x);
	vm_el1_save(&v->el1);
	return x;
}

/* SPDX-License-Identifier: MIT */
/*
 * The harness as the VMM: the exits the hypervisor leaves to it. Each is
 * a data abort outside RAM and the hypervisor's own frames, which is
 *   - an access to the test device (guest/proto.h): emulated here;
 *   - the isolation probe the guest announced: recorded and skipped,
 *     loads get PROBE_POISON;
 *   - anything else: the guest misbehaved and is stopped with a report.
 * Accesses without a valid syndrome (ESR_EL2.ISV=0) cannot be emulated and
 * stop the VM, as KVM returns -ENOSYS for them.
 *
 * Every exit is also cross-checked the way KVM reconstructs HPFAR_EL2 when
 * it cannot trust it: AT S1E1R on the guest's FAR and s2_par_to_hpfar()
 * must give the same FIPA, and s2_fault_ipa() must give back the FAR (the
 * guest's stage 1 is off, so its VA is its IPA).
 */
#include "at.h"
#include "check.h"
#include "printf.h"
#include "tvm.h"

extern char __image_start[];

static void console(struct tvm *t, char c)
{
	if (c != '\n' && t->line_len + 1 < sizeof(t->line)) {
		t->line[t->line_len++] = c;
		return;
	}
	t->line[t->line_len] = 0;
	printf("vm%u console: %s\n", t->vm.id, t->line);
	t->line_len = 0;
}

/* The guest's EL1 took an exception and reported it. Only an announced
   probe beyond a 52-bit IPA space may do that: with stage 1 off, an
   address beyond the 52-bit PA size is a stage-1 address size fault at
   level 0, taken to EL1 without ever reaching stage 2. */
static void el1_fault(struct tvm *t)
{
	struct vm *vm = &t->vm;
	uint64_t esr = t->dev_arg, far = t->dev_arg2;
	unsigned ec = (unsigned)(esr >> 26) & 0x3f, fsc = (unsigned)esr & 0x3f;

	if (t->probe_armed && far == t->probe_ipa && ec == S2_EC_DABT_CUR && fsc == 0x00 &&
	    (far >> 52) != 0) {
		t->probe_armed = false;
		t->dev_result = 2;
		t->probes++;
		printf("vm%u: isolation probe of IPA %#llx (%s): beyond the 52-bit PA space, a stage-1 "
		       "address size fault taken by the guest's own EL1 (ESR_EL1=%#llx): never reaches "
		       "stage 2\n", vm->id, (unsigned long long)far, tvm_where(t, far),
		       (unsigned long long)esr);
		return;
	}
	vm_stop(vm, "the guest took an unexpected exception at EL1: ESR_EL1=%#llx FAR_EL1=%#llx",
		(unsigned long long)esr, (unsigned long long)far);
}

static void command(struct tvm *t, uint64_t cmd)
{
	struct vm *vm = &t->vm;
	uint64_t arg = t->dev_arg;

	switch (cmd) {
	case CMD_PROBE:
		t->probe_ipa = arg;
		t->probe_armed = true;
		t->dev_result = 0;
		break;
	case CMD_DIRTY_START:
		t->dev_result = tvm_dirty_start(t);
		break;
	case CMD_DIRTY_ROUND:
		t->dev_result = tvm_dirty_round(t, (unsigned)arg);
		break;
	case CMD_DIRTY_STOP:
		t->dev_result = tvm_dirty_stop(t);
		break;
	case CMD_AGE_START:
		t->dev_result = tvm_age_start(t, (unsigned)arg);
		break;
	case CMD_AGE_CHECK:
		t->dev_result = tvm_age_check(t, (unsigned)arg);
		break;
	case CMD_COLLAPSE:
		t->dev_result = tvm_collapse(t);
		break;
	case CMD_EL1_FAULT:
		el1_fault(t);
		break;
	case CMD_CHECKSUM: {
		uint64_t sum = 0;
		for (unsigned p = 0; p < tvm_arena_pages(t); p++)
			sum += proto_fill_value(t->seed, p);
		check(arg == sum, "vm%u: guest's memory checksum %#llx, expected %#llx",
		      vm->id, (unsigned long long)arg, (unsigned long long)sum);
		break;
	}
	case CMD_SPI:
		t->dev_result = vgic_set_level(vm, (uint32_t)arg, true) != 0;
		vgic_set_level(vm, (uint32_t)arg, false);
		break;
	case CMD_SPI_LEVEL:
		t->dev_result = vgic_set_level(vm, (uint32_t)arg & 0xffff, (arg >> 16) & 1) != 0;
		break;
	case CMD_MSI:
		t->dev_result = (uint64_t)vgic_its_signal(vm, (uint32_t)(arg >> 32), (uint32_t)arg);
		break;
	case CMD_GIC_REPORT:
		t->dev_result = tvm_gic_report(t, arg);
		break;
	case CMD_FAIL:
		check(false, "vm%u: the guest detected failure %#llx", vm->id, (unsigned long long)arg);
		break;
	case CMD_DONE:
		t->guest_failures = (unsigned)arg;
		if (arg)
			vm_done(vm, "guest saw %llu failures", (unsigned long long)arg);
		else
			vm_done(vm, "passed");
		break;
	default:
		vm_stop(vm, "unknown device command %#llx", (unsigned long long)cmd);
		break;
	}
}

static uint64_t dev_read(struct tvm *t, uint64_t off, bool *ok)
{
	switch (off) {
	case DEV_ID: return DEV_MAGIC;
	case DEV_SCRATCH: return ~t->dev_scratch;
	case DEV_SEED: return t->seed;
	case DEV_RESULT: return t->dev_result;
	case DEV_PATTERN: return DEV_PATTERN_VALUE;
	case DEV_HOSTPA: return (uint64_t)__image_start;
	}
	*ok = false;
	return 0;
}

static void dev_write(struct tvm *t, uint64_t off, uint64_t v, bool *ok)
{
	switch (off) {
	case DEV_CONSOLE: console(t, (char)v); return;
	case DEV_SCRATCH: t->dev_scratch = v; return;
	case DEV_ARG: t->dev_arg = v; return;
	case DEV_ARG2: t->dev_arg2 = v; return;
	case DEV_CMD: command(t, v); return;
	}
	*ok = false;
}

static void device(struct tvm *t, struct vm_exit *x)
{
	struct vm *vm = &t->vm;
	uint64_t off = x->ipa - t->dev_ipa, v = 0;
	bool ok = true;

	if (!x->len) {
		vm_stop(vm, "device access at IPA %#llx without a syndrome (ESR_EL2.ISV=0): "
			"cannot be emulated", (unsigned long long)x->ipa);
		return;
	}
	if (x->write)
		dev_write(t, off, x->data, &ok);
	else
		v = dev_read(t, off, &ok);
	if (!ok) {
		vm_stop(vm, "%s of unknown device register %#llx", x->write ? "write" : "read",
			(unsigned long long)off);
		return;
	}
	vm_mmio_complete(vm, v);
}

static void probe_fault(struct tvm *t, struct vm_exit *x)
{
	const struct s2_esr *e = &x->e;

	t->probes++;
	t->probe_armed = false;
	t->dev_result = 1;
	printf("vm%u: isolation probe %s of IPA %#llx (%s%s): stage-2 %s fault, level %d, "
	       "taken to EL2 and contained\n", t->vm.id, e->wnr ? "write" : "read",
	       (unsigned long long)x->ipa, tvm_where(t, x->ipa),
	       x->ipa == (uint64_t)__image_start ? ", the host PA of the hypervisor's code" : "",
	       s2_fault_kind_name(e->kind), e->level);
	if (x->len)
		vm_mmio_complete(&t->vm, PROBE_POISON);
	else
		t->vm.regs.elr += 4;
}

static void check_hpfar(struct tvm *t, const struct vm_exit *x)
{
	uint64_t par;

	if (x->e.fnv || x->e.s1ptw)
		return;
	par = at_s1e1r(x->far);
	t->hpfar_checked++;
	check(!(par & 1) && s2_par_to_hpfar(par) == (x->hpfar & S2_GENMASK(43, 4)),
	      "vm%u: HPFAR_EL2=%#llx for FAR %#llx, but AT S1E1R gives PAR_EL1=%#llx -> s2_par_to_hpfar %#llx",
	      t->vm.id, (unsigned long long)x->hpfar, (unsigned long long)x->far,
	      (unsigned long long)par, (unsigned long long)s2_par_to_hpfar(par));
	check(s2_fault_ipa(x->hpfar, x->far).v == x->far,
	      "vm%u: s2_fault_ipa(HPFAR %#llx, FAR %#llx) = %#llx, want the FAR",
	      t->vm.id, (unsigned long long)x->hpfar, (unsigned long long)x->far,
	      (unsigned long long)s2_fault_ipa(x->hpfar, x->far).v);
}

void tvm_exit(struct vm *vm, struct vm_exit *x)
{
	struct tvm *t = tvm_of(vm);
	const struct s2_esr *e = &x->e;

	check_hpfar(t, x);
	if (x->ipa >= t->dev_ipa && x->ipa - t->dev_ipa < DEV_SIZE) {
		device(t, x);
	} else if (t->probe_armed && x->ipa == t->probe_ipa) {
		probe_fault(t, x);
	} else {
		vm_stop(vm, "unannounced %s of IPA %#llx (%s): stage-2 %s fault, level %d, "
			"at ELR %#llx", e->wnr ? "write" : "read", (unsigned long long)x->ipa,
			tvm_where(t, x->ipa), s2_fault_kind_name(e->kind), e->level,
			(unsigned long long)vm->regs.elr);
	}
}

const char *tvm_where(const struct tvm *t, uint64_t ipa)
{
	if (ipa >= vm_page(&t->vm) && ipa < t->dev_ipa)
		return "below its regions";
	if (ipa >= t->dev_ipa && ipa < t->dev_ipa + DEV_SIZE)
		return "in its device";
	if (ipa >= t->dev_ipa + DEV_SIZE && ipa < t->vm.ram_ipa)
		return "between its device and its RAM";
	return vm_where(&t->vm, ipa);
}

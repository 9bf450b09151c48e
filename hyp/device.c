/* SPDX-License-Identifier: MIT */
/*
 * The emulated test device. Every access is a stage-2 abort on an IPA
 * that is never mapped; the data-abort syndrome (ESR_EL2.ISV=1, Arm ARM,
 * "ISS encoding for an exception from a Data Abort") says which register, how wide,
 * whether to sign-extend and to what width, as KVM's io_mem_abort() uses
 * it. Accesses without a valid syndrome cannot be emulated and stop the
 * VM, as KVM returns -ENOSYS for them.
 */
#include "check.h"
#include "printf.h"
#include "vm.h"

extern char __image_start[];

static void console(struct vm *vm, char c)
{
	if (c != '\n' && vm->line_len + 1 < sizeof(vm->line)) {
		vm->line[vm->line_len++] = c;
		return;
	}
	vm->line[vm->line_len] = 0;
	printf("vm%u console: %s\n", vm->id, vm->line);
	vm->line_len = 0;
}

/* The guest's EL1 took an exception and reported it. Only an announced
   probe beyond a 52-bit IPA space may do that: with stage 1 off, an
   address beyond the 52-bit PA size is a stage-1 address size fault at
   level 0, taken to EL1 without ever reaching stage 2. */
static void el1_fault(struct vm *vm)
{
	uint64_t esr = vm->dev_arg, far = vm->dev_arg2;
	unsigned ec = (unsigned)(esr >> 26) & 0x3f, fsc = (unsigned)esr & 0x3f;

	if (vm->probe_armed && far == vm->probe_ipa && ec == S2_EC_DABT_CUR && fsc == 0x00 &&
	    (far >> 52) != 0) {
		vm->probe_armed = false;
		vm->dev_result = 2;
		vm->st.probes++;
		printf("vm%u: isolation probe of IPA %#llx (%s): beyond the 52-bit PA space, a stage-1 "
		       "address size fault taken by the guest's own EL1 (ESR_EL1=%#llx): never reaches "
		       "stage 2\n", vm->id, (unsigned long long)far, vm_where(vm, far),
		       (unsigned long long)esr);
		return;
	}
	vm_stop(vm, "the guest took an unexpected exception at EL1: ESR_EL1=%#llx FAR_EL1=%#llx",
		(unsigned long long)esr, (unsigned long long)far);
}

static void command(struct vm *vm, uint64_t cmd)
{
	uint64_t arg = vm->dev_arg;

	switch (cmd) {
	case CMD_PROBE:
		vm->probe_ipa = arg;
		vm->probe_armed = true;
		vm->dev_result = 0;
		break;
	case CMD_DIRTY_START:
		vm->dev_result = vm_dirty_start(vm);
		break;
	case CMD_DIRTY_ROUND:
		vm->dev_result = vm_dirty_round(vm, (unsigned)arg);
		break;
	case CMD_DIRTY_STOP:
		vm->dev_result = vm_dirty_stop(vm);
		break;
	case CMD_AGE_START:
		vm->dev_result = vm_age_start(vm, (unsigned)arg);
		break;
	case CMD_AGE_CHECK:
		vm->dev_result = vm_age_check(vm, (unsigned)arg);
		break;
	case CMD_COLLAPSE:
		vm->dev_result = vm_collapse(vm);
		break;
	case CMD_EL1_FAULT:
		el1_fault(vm);
		break;
	case CMD_CHECKSUM: {
		uint64_t sum = 0;
		for (unsigned p = 0; p < vm_arena_pages(vm); p++)
			sum += proto_fill_value(vm->seed, p);
		check(arg == sum, "vm%u: guest's memory checksum %#llx, expected %#llx",
		      vm->id, (unsigned long long)arg, (unsigned long long)sum);
		break;
	}
	case CMD_FAIL:
		check(false, "vm%u: the guest detected failure %#llx", vm->id, (unsigned long long)arg);
		break;
	case CMD_DONE:
		vm->guest_failures = (unsigned)arg;
		vm->state = VM_DONE;
		snprintf(vm->result, sizeof(vm->result), arg ? "guest saw %llu failures" : "passed",
			 (unsigned long long)arg);
		break;
	default:
		vm_stop(vm, "unknown device command %#llx", (unsigned long long)cmd);
		break;
	}
}

static uint64_t dev_read(struct vm *vm, uint64_t off, bool *ok)
{
	switch (off) {
	case DEV_ID: return DEV_MAGIC;
	case DEV_SCRATCH: return ~vm->dev_scratch;
	case DEV_SEED: return vm->seed;
	case DEV_RESULT: return vm->dev_result;
	case DEV_PATTERN: return DEV_PATTERN_VALUE;
	case DEV_HOSTPA: return (uint64_t)__image_start;
	}
	*ok = false;
	return 0;
}

static void dev_write(struct vm *vm, uint64_t off, uint64_t v, bool *ok)
{
	switch (off) {
	case DEV_CONSOLE: console(vm, (char)v); return;
	case DEV_SCRATCH: vm->dev_scratch = v; return;
	case DEV_ARG: vm->dev_arg = v; return;
	case DEV_ARG2: vm->dev_arg2 = v; return;
	case DEV_CMD: command(vm, v); return;
	}
	*ok = false;
}

void vm_mmio(struct vm *vm, const struct s2_esr *e, uint64_t ipa)
{
	uint64_t off = ipa - vm->dev_ipa;
	unsigned bits = 8u << e->sas;
	uint64_t mask = bits == 64 ? ~0ULL : (1ULL << bits) - 1;
	bool ok = true;

	if (!e->isv) {
		vm_stop(vm, "device access at IPA %#llx without a syndrome (ESR_EL2.ISV=0): "
			"cannot be emulated", (unsigned long long)ipa);
		return;
	}
	vm->st.mmio++;
	if (e->wnr) {
		dev_write(vm, off, (e->srt == 31 ? 0 : vm->regs.x[e->srt]) & mask, &ok);
	} else {
		uint64_t v = dev_read(vm, off, &ok) & mask;
		/* SSE: sign-extend the access size; SF: to 64 bits, else to
		   32 with the upper half of the X register zero. */
		if (e->sse && bits < 64 && (v >> (bits - 1)) & 1)
			v |= ~mask;
		if (!e->sf)
			v &= 0xffffffffULL;
		if (e->srt != 31)
			vm->regs.x[e->srt] = v;
	}
	if (!ok) {
		vm_stop(vm, "%s of unknown device register %#llx", e->wnr ? "write" : "read",
			(unsigned long long)off);
		return;
	}
	vm->regs.elr += e->il ? 4 : 2;
}

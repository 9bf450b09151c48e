/* SPDX-License-Identifier: MIT */
/*
 * The MMIO path shared by the hypervisor's own frames and the VMM's
 * devices. Accesses without a valid syndrome cannot be emulated: a frame
 * the hypervisor owns stops the VM (KVM returns -ENOSYS for them), and
 * the VMM is told (len 0) so it can decide the same.
 */
#include <s2/err.h>
#include "mmio.h"
#include "vm.h"

int vm_mmio_register(struct vm *vm, const struct mmio_region *r, struct s2_diag *d)
{
	if (r->base + r->size > vm->ram_ipa && r->base < vm->ram_ipa + vm->ram_size)
		return s2_diag_set(d, S2_EINVAL, "%s at %#llx-%#llx overlaps the VM's RAM",
				   r->name, (unsigned long long)r->base,
				   (unsigned long long)(r->base + r->size - 1));
	for (unsigned i = 0; i < vm->nr_regions; i++) {
		const struct mmio_region *o = &vm->regions[i];
		if (r->base + r->size > o->base && r->base < o->base + o->size)
			return s2_diag_set(d, S2_EINVAL, "%s at %#llx overlaps %s at %#llx",
					   r->name, (unsigned long long)r->base, o->name,
					   (unsigned long long)o->base);
	}
	if (vm->nr_regions == VM_MAX_REGIONS)
		return s2_diag_set(d, S2_ENOMEM, "%s: all %u MMIO regions of the VM are in use",
				   r->name, VM_MAX_REGIONS);
	vm->regions[vm->nr_regions++] = *r;
	return 0;
}

const struct mmio_region *vm_mmio_find(const struct vm *vm, uint64_t ipa)
{
	for (unsigned i = 0; i < vm->nr_regions; i++)
		if (ipa >= vm->regions[i].base && ipa - vm->regions[i].base < vm->regions[i].size)
			return &vm->regions[i];
	return NULL;
}

void vm_mmio_complete(struct vm *vm, uint64_t v)
{
	const struct vm_exit *x = &vm->exit;
	const struct s2_esr *e = &x->e;

	if (!x->write && x->len) {
		unsigned bits = 8 * x->len;
		uint64_t mask = bits == 64 ? ~0ULL : (1ULL << bits) - 1;

		v &= mask;
		/* SSE: sign-extend the access size; SF: to 64 bits, else to
		   32 with the upper half of the X register zero. */
		if (e->sse && bits < 64 && (v >> (bits - 1)) & 1)
			v |= ~mask;
		if (!e->sf)
			v &= 0xffffffffULL;
		if (e->srt != 31)
			vm->regs.x[e->srt] = v;
	}
	vm->regs.elr += e->il ? 4 : 2;
}

struct vm_exit *vm_mmio(struct vm *vm, const struct s2_esr *e, uint64_t ipa,
			uint64_t esr, uint64_t far, uint64_t hpfar)
{
	const struct mmio_region *r = vm_mmio_find(vm, ipa);
	struct vm_exit *x = &vm->exit;
	uint64_t val;
	int rc;

	*x = (struct vm_exit){
		.kind = VM_EXIT_MMIO, .ipa = ipa, .esr = esr, .far = far, .hpfar = hpfar,
		.e = *e, .write = e->wnr, .len = e->isv ? 1u << e->sas : 0,
	};
	if (e->isv && e->wnr) {
		unsigned bits = 8u << e->sas;
		x->data = (e->srt == 31 ? 0 : vm->regs.x[e->srt]) &
			  (bits == 64 ? ~0ULL : (1ULL << bits) - 1);
	}
	if (!r)
		return x;
	if (!e->isv) {
		vm_stop(vm, "%s access at IPA %#llx without a syndrome (ESR_EL2.ISV=0): "
			"cannot be emulated", r->name, (unsigned long long)ipa);
		return NULL;
	}
	vm->st.mmio++;
	val = x->data;
	rc = r->access(vm, r->ctx, ipa - r->base, x->write, &val, x->len);
	if (rc) {
		vm_stop(vm, "%s of %s register %#llx (%u bytes): %s", x->write ? "write" : "read",
			r->name, (unsigned long long)(ipa - r->base), x->len, s2_errname(rc));
		return NULL;
	}
	vm_mmio_complete(vm, val);
	return NULL;
}

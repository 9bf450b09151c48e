/* SPDX-License-Identifier: MIT */
/*
 * Guest memory as the hypervisor reads and writes it on a guest's behalf
 * (emulated devices that keep tables in guest RAM): every address goes
 * through the VM's own stage 2 with s2_translate(), so a guest can only
 * name memory it has, whatever IPA it hands over. A RAM page that is not
 * mapped yet is mapped as the guest's own access would map it.
 *
 * The guests run with their caches off: what they wrote may be in memory
 * only, below a stale line of the hypervisor's cacheable alias, and what
 * the hypervisor writes must reach memory before the guest reads it.
 * Hence DC CIVAC before a read and after a write (Arm ARM, "Data cache
 * maintenance instructions"), as KVM cleans to the PoC for a guest whose
 * stage 1 is off.
 */
#include "sysreg.h"
#include "vm.h"

static void dcache_civac(uint64_t pa, size_t len)
{
	uint64_t line = 4u << ((read_sysreg(ctr_el0) >> 16) & 0xf);

	for (uint64_t a = pa & ~(line - 1); a < pa + len; a += line)
		__asm__ volatile("dc civac, %0" :: "r"(a) : "memory");
	dsb_ish();
}

/* The host PA of @ipa, mapping its RAM page first if needed; 0 when the
   IPA is not the VM's RAM. A write to a page dirty logging protects
   marks it dirty, as KVM's kvm_write_guest() marks the page in the log. */
static uint64_t ipa_to_pa(struct vm *vm, uint64_t ipa, bool write)
{
	struct s2_xlate x;
	struct s2_diag d;

	if (s2_translate(&vm->s2.pgt, s2_ipa(ipa), &x) || !x.valid) {
		if (vm_map_ram(vm, ipa, &d))
			return 0;
		if (s2_translate(&vm->s2.pgt, s2_ipa(ipa), &x) || !x.valid)
			return 0;
	}
	if (x.prot & S2_PROT_DEVICE)
		return 0;
	if (write && x.dirty_log)
		(void)s2_mark_dirty(&vm->s2.pgt, s2_ipa(ipa));
	return x.pa.v;
}

/* Walk [ipa, ipa + len) page by page; with @buf NULL only check it. */
static int copy(struct vm *vm, uint64_t ipa, void *buf, size_t len, bool write)
{
	uint64_t page = vm_page(vm);

	if (len == 0)
		return 0;
	if (ipa + len < ipa || ipa + len > vm_ipa_top(vm))
		return VM_EFAULT;
	for (uint64_t a = ipa; a < ipa + len; a = (a & ~(page - 1)) + page)
		if (!ipa_to_pa(vm, a, false))
			return VM_EFAULT;
	if (!buf)
		return 0;
	for (size_t done = 0; done < len;) {
		uint64_t a = ipa + done;
		size_t n = (size_t)(page - (a & (page - 1)));
		uint64_t pa = ipa_to_pa(vm, a, write);
		if (n > len - done)
			n = len - done;
		if (write) {
			for (size_t i = 0; i < n; i++)
				((volatile char *)pa)[i] = ((const char *)buf)[done + i];
			dcache_civac(pa, n);
		} else {
			dcache_civac(pa, n);
			for (size_t i = 0; i < n; i++)
				((char *)buf)[done + i] = ((volatile char *)pa)[i];
		}
		done += n;
	}
	return 0;
}

int vm_read(struct vm *vm, uint64_t ipa, void *buf, size_t len)
{
	int rc = copy(vm, ipa, NULL, len, false);

	return rc ? rc : copy(vm, ipa, buf, len, false);
}

int vm_write(struct vm *vm, uint64_t ipa, const void *buf, size_t len)
{
	int rc = copy(vm, ipa, NULL, len, true);

	return rc ? rc : copy(vm, ipa, (void *)buf, len, true);
}

/*
 * The entry stub of userboot4j's QEMU firmware: the last page of the 128 KiB BIOS image, seen at
 * 0xff000-0xfffff. QEMU starts the vCPU in real mode at the reset vector; bhyve starts it in the state
 * the loader chose. This code walks from one to the other: real mode, protected mode on a GDT of its
 * own, then paging and long mode (or flat protected mode for an i386 kernel) with the control
 * registers, GDT, stack, flags and entry point that vmm.qemu.Firmware writes into the parameter block.
 *
 * Built by src/main/asm/build.sh into src/main/resources/userboot4j/vmm/qemu/entry.bin; a test
 * assembles it again and compares.
 */
	.set	ROMSEG, 0xf0000		/* real-mode CS base after the reset vector's far jump */
	.set	PARAMS, 0xff800
	.set	P_MODE, PARAMS + 0x00	/* 0: amd64, 1: i386 */
	.set	P_CR0, PARAMS + 0x08
	.set	P_CR3, PARAMS + 0x10
	.set	P_CR4, PARAMS + 0x18
	.set	P_EFER, PARAMS + 0x20
	.set	P_GDTR, PARAMS + 0x28	/* limit (16 bits), base (32 bits) */
	.set	P_RIP, PARAMS + 0x30
	.set	P_RSP, PARAMS + 0x38
	.set	P_RFLAGS, PARAMS + 0x40
	.set	P_PIRQ, PARAMS + 0x48	/* PIIX3 PIRQA-D routes, config registers 0x60-0x63 */
	.set	P_ELCR, PARAMS + 0x4c	/* edge/level control, ports 0x4d0 and 0x4d1 */

	.set	SEL_CODE, 0x08		/* the loader's code selector (Firmware checks) */
	.set	SEL_DATA, 0x10		/* the loader's data selector, writable in our GDT */
	.set	MSR_EFER, 0xc0000080
	.set	EFER_LMA, 0x400

/* General registers start at zero, as in a bhyve vCPU the loader set up (no stack to call on yet). */
	.macro	clear_registers long
	xorl	%eax, %eax
	xorl	%ebx, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%esi, %esi
	xorl	%edi, %edi
	xorl	%ebp, %ebp
	.if	\long
	xorq	%r8, %r8
	xorq	%r9, %r9
	xorq	%r10, %r10
	xorq	%r11, %r11
	xorq	%r12, %r12
	xorq	%r13, %r13
	xorq	%r14, %r14
	xorq	%r15, %r15
	.endif
	.endm

	.text
	.code16
start:
	cli
	cld
	/* PCI interrupt routing as a BIOS leaves it; the DSDT's _PRT names the same IRQs */
	movl	$0x80000860, %eax	/* bus 0, device 1 (PIIX3), function 0, register 0x60 */
	movw	$0xcf8, %dx
	outl	%eax, %dx
	movl	%cs:(P_PIRQ - ROMSEG), %eax
	movw	$0xcfc, %dx
	outl	%eax, %dx
	movw	%cs:(P_ELCR - ROMSEG), %ax
	movw	$0x4d0, %dx
	outb	%al, %dx
	incw	%dx
	movb	%ah, %al
	outb	%al, %dx

	lgdtl	%cs:(stub_gdtr - ROMSEG)
	movl	%cr0, %eax
	orl	$1, %eax
	movl	%eax, %cr0
	ljmpl	$SEL_CODE, $protected

	.code32
protected:
	/*
	 * The data segments come from our writable descriptor under the loader's selector: the loader's
	 * own data descriptor is read-only, which SS refuses; bhyve writes the descriptor caches directly.
	 */
	movw	$SEL_DATA, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss
	cmpl	$0, P_MODE
	jne	flat32

	movl	P_CR4, %eax
	movl	%eax, %cr4
	movl	P_CR3, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	movl	P_EFER, %eax
	andl	$~EFER_LMA, %eax	/* the CPU sets LMA itself when paging comes on */
	xorl	%edx, %edx
	wrmsr
	movl	P_CR0, %eax
	movl	%eax, %cr0		/* long mode, still running here through the identity map */
	lgdtl	P_GDTR
	ljmpl	$SEL_CODE, $long64

	.code64
long64:
	clear_registers 1
	movq	P_RSP, %rsp
	pushq	P_RFLAGS		/* below the loader's stack pointer: not part of the hand-off */
	popfq
	jmpq	*P_RIP

	.code32
flat32:
	movl	P_CR0, %eax
	movl	%eax, %cr0
	lgdtl	P_GDTR
	ljmpl	$SEL_CODE, $entry32
entry32:
	clear_registers 0
	movl	P_RSP, %esp
	pushl	P_RFLAGS
	popfl
	jmpl	*P_RIP

	.balign	8
stub_gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* SEL_CODE: flat 32-bit code */
	.quad	0x00cf93000000ffff	/* SEL_DATA: flat read/write data */
stub_gdtr:
	.word	stub_gdtr - stub_gdt - 1
	.long	stub_gdt

	.org	PARAMS - 0xff000
	.fill	0x50, 1, 0

	.org	0xff0
	.code16
reset:
	ljmp	$0xf000, $(start - ROMSEG)
	.org	0x1000

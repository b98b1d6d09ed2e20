// Assembly text shared by tests that generate bare-metal probe programs.

/**
 * `hex`: prints X0 as 16 hex digits and a space to the UART data register whose address is in
 * X10. Clobbers X1-X3; a leaf routine (returns with RET).
 */
export const HEX_ROUTINE = `hex:	mov x2, #60
2:	lsr x1, x0, x2
	and x1, x1, #15
	cmp x1, #10
	add x3, x1, #'0'
	add x1, x1, #('a' - 10)
	csel x1, x3, x1, lo
	strb w1, [x10]
	subs x2, x2, #4
	b.ge 2b
	mov w1, #' '
	strb w1, [x10]
	ret`;

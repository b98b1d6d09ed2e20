// Memory translation: stage 1 / stage 2 walks (walk.ts), faults and PAR_EL1 (fault.ts), memory
// attributes (attrs.ts) and the TLB (tlb.ts). See the header comments of walk.ts and tlb.ts for
// how the CPU integrates them.
export * from './types';
export * from './attrs';
export * from './walk';
export * from './fault';
export * from './tlb';

// Under Xen's null scheduler every vCPU is bound to a physical CPU of its own. Whether a set
// of hard affinities allows that is a bipartite matching problem (vCPUs to CPUs); we solve it
// with augmenting paths, which is instant at these sizes, and keep the assignment so a fix
// can propose a CPU that is genuinely free.

export interface VcpuNeed {
  /** Allowed CPUs, or null for any. */
  cpus: number[] | null;
}

export interface Assignment {
  /** CPU given to each vCPU, or -1 if none could be. */
  cpuOf: number[];
  /** CPUs no vCPU was given. */
  free: number[];
}

export function assignCpus(needs: VcpuNeed[], ncpus: number): Assignment {
  const owner = new Array<number>(ncpus).fill(-1);
  const cpuOf = new Array<number>(needs.length).fill(-1);
  const allowed = needs.map((n) => (n.cpus ?? Array.from({ length: ncpus }, (_, i) => i)).filter((c) => c < ncpus));

  const tryAssign = (v: number, seen: boolean[]): boolean => {
    for (const c of allowed[v]) {
      if (seen[c]) continue;
      seen[c] = true;
      if (owner[c] === -1 || tryAssign(owner[c], seen)) {
        owner[c] = v;
        cpuOf[v] = c;
        return true;
      }
    }
    return false;
  };
  // Most constrained first, so a vCPU pinned to one CPU is not displaced by a flexible one
  // that happened to come earlier; the matching is maximum either way, this only makes the
  // choice of who is left without a CPU the one a person would expect (the later pin).
  const order = needs.map((_, i) => i).sort((a, b) => allowed[a].length - allowed[b].length || a - b);
  for (const v of order) tryAssign(v, new Array<boolean>(ncpus).fill(false));
  const free: number[] = [];
  for (let c = 0; c < ncpus; c++) if (owner[c] === -1) free.push(c);
  return { cpuOf, free };
}

// The scheduler named by the system file (`scheduler = ...`).
import type { SchedulerConfig } from '../../config/types';
import type { Scheduler } from '../scheduler';
import { Arinc653Scheduler } from './arinc653';
import { CreditScheduler } from './credit';
import { NullScheduler } from './null';
import { RtdsScheduler } from './rtds';

/** Constructors by name; each scheduler module registers itself here. */
export const SCHEDULERS: Partial<Record<SchedulerConfig['name'], (cfg: SchedulerConfig, pcpus: number) => Scheduler>> = {
  null: (_cfg, pcpus) => new NullScheduler(pcpus),
  credit: (cfg, pcpus) => new CreditScheduler((cfg as Extract<SchedulerConfig, { name: 'credit' }>).timesliceNs, pcpus),
  arinc653: (cfg, pcpus) => {
    const c = cfg as Extract<SchedulerConfig, { name: 'arinc653' }>;
    return new Arinc653Scheduler(c.majorFrameNs, c.windows, pcpus);
  },
  rtds: (_cfg, pcpus) => new RtdsScheduler(pcpus),
};

export function createScheduler(cfg: SchedulerConfig, pcpus: number): Scheduler {
  const make = SCHEDULERS[cfg.name];
  if (!make) throw new Error(`scheduler "${cfg.name}" is not implemented yet (available: ${Object.keys(SCHEDULERS).join(', ')})`);
  return make(cfg, pcpus);
}

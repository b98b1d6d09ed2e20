// The scheduler named by the system file (`scheduler = ...`).
import type { SchedulerConfig } from '../../config/types';
import type { Scheduler } from '../scheduler';
import { NullScheduler } from './null';

/** Constructors by name; each scheduler module registers itself here. */
export const SCHEDULERS: Partial<Record<SchedulerConfig['name'], (cfg: SchedulerConfig, pcpus: number) => Scheduler>> = {
  null: (_cfg, pcpus) => new NullScheduler(pcpus),
};

export function createScheduler(cfg: SchedulerConfig, pcpus: number): Scheduler {
  const make = SCHEDULERS[cfg.name];
  if (!make) throw new Error(`scheduler "${cfg.name}" is not implemented yet (available: ${Object.keys(SCHEDULERS).join(', ')})`);
  return make(cfg, pcpus);
}

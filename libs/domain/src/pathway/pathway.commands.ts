import type { Command } from '../shared/decider';
import type { PathwayDefinitionInput } from './pathway.definition';

export type DefinePathway = Command<
  'DefinePathway',
  { pathwayId: string; issuerId: string; definition: PathwayDefinitionInput }
>;

/** The full new definition; it becomes the next version. Learners keep the version they started under. */
export type RevisePathway = Command<'RevisePathway', { pathwayId: string; definition: PathwayDefinitionInput }>;

export type RetirePathway = Command<'RetirePathway', { pathwayId: string; reason?: string }>;

export type PathwayCommand = DefinePathway | RevisePathway | RetirePathway;

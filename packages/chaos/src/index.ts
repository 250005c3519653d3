export { injectFaults, normalizeOrigin } from './injector.ts';
export type { Attempt, Injector, InjectorOptions } from './injector.ts';
export { faults } from './faults.ts';
export type { Fault, HangFault, ResetFault, RespondFault, SometimesFault, Step, TrickleFault } from './faults.ts';

import type { Scenario } from '../types';
import { activation } from './s0-activation';

/** In order: later scenarios build on the sign-in of scenario 1. */
export const scenarios: Scenario[] = [activation];

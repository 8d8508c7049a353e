import type { Scenario } from '../types';
import { activation } from './s0-activation';
import { signIn } from './s1-signIn';
import { language } from './s2-language';
import { send } from './s3-send';
import { post } from './s4-post';
import { exportAll } from './s5-export';
import { signOut } from './s6-signOut';
import { reliability } from './s7-reliability';
import { records } from './s8-records';

/**
 * In order: later scenarios build on the sign-in of scenario 1 and the file of scenario 2; the
 * explorer's records (8) run while signed in, before scenario 6 signs out.
 */
export const scenarios: Scenario[] = [activation, signIn, language, send, post, exportAll, records, signOut, reliability];

import type { Scenario } from '../types';
import { activation } from './s0-activation';
import { signIn } from './s1-signIn';
import { language } from './s2-language';
import { send } from './s3-send';
import { post } from './s4-post';
import { exportAll } from './s5-export';
import { signOut } from './s6-signOut';
import { reliability } from './s7-reliability';
import { tests } from './s10-tests';
import { importCollection } from './s8-import';
import { records } from './s9-records';

/**
 * In order: later scenarios build on the sign-in of scenario 1 and the file of scenario 2; import (8)
 * and the explorer's records (9) run while signed in, before scenario 6 signs out.
 */
export const scenarios: Scenario[] = [activation, signIn, language, send, post, exportAll, importCollection, records, signOut, reliability, tests];

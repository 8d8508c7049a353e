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
import { throughProxy } from './s11-proxy';

/**
 * In order: later scenarios build on the sign-in of scenario 1 and the file of scenario 2. The
 * explorer's records (9), import (8) and the Test Explorer (10) need the signed-in sandbox, so they
 * run before scenario 6 signs out and scenario 7 stops the sandbox. Records runs first: its Edit as
 * Request writes into the request file of scenario 2, which must still be the one on screen.
 * Scenario 11 brings its own sandbox, proxy and connection, so it needs only scenario 0 before it.
 */
export const scenarios: Scenario[] = [activation, signIn, language, send, post, exportAll, records, importCollection, tests, signOut, reliability, throughProxy];

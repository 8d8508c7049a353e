/** Debian's tinyproxy, started by a test on a free loopback port and stopped by its PID. */
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { freePort, startProcess, stopProcess, waitFor, type Started } from '../../e2e/processes';

export interface Proxy {
  url: string;
  log(): string;
  stop(): Promise<void>;
}

/** Why tinyproxy cannot be started here, or undefined when it can. */
export function tinyproxyMissing(): string | undefined {
  return ['/usr/bin/tinyproxy', '/usr/sbin/tinyproxy'].some((f) => fs.existsSync(f)) ? undefined : 'tinyproxy is not installed: run `bash scripts/ensureSystemDeps.sh` (as root).';
}

/** tinyproxy in the foreground, allowed to CONNECT only to `connectPort`, optionally with Basic auth. */
export async function startTinyproxy(dir: string, name: string, connectPort: number, auth?: { user: string; password: string }): Promise<Proxy> {
  const missing = tinyproxyMissing();
  if (missing) throw new Error(missing);
  const port = await freePort();
  const logFile = path.join(dir, `${name}.log`);
  const conf = path.join(dir, `${name}.conf`);
  fs.writeFileSync(conf, [
    `Port ${port}`, 'Listen 127.0.0.1', 'Timeout 30', `LogFile "${logFile}"`, 'LogLevel Connect', 'MaxClients 20',
    'Allow 127.0.0.1', `ConnectPort ${connectPort}`, 'DisableViaHeader Yes', ...(auth ? [`BasicAuth ${auth.user} ${auth.password}`] : []),
  ].join('\n') + '\n');
  const proc: Started = startProcess(name, 'tinyproxy', ['-d', '-c', conf]);
  const accepts = () => new Promise<true | undefined>((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(undefined));
  });
  await waitFor(`${name} to listen on ${port}`, accepts, 10000, 50);
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    stop: () => stopProcess(proc),
  };
}


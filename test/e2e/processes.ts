/**
 * Child processes, ports and waits for the end-to-end harness. Every process started here is
 * remembered by its PID and stopped by that PID (its process group, so that code-server's extension
 * host goes too), never by name: other helpers and developers run their own code-servers.
 */
import { ChildProcess, spawn, SpawnOptions } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';

export interface Started {
  readonly name: string;
  readonly child: ChildProcess;
  /** The tail of stdout+stderr, for failure messages. */
  output(): string;
  /** Resolves with the exit code (or signal) when the process ends. */
  readonly exited: Promise<number | string>;
}

const started: Started[] = [];

/** Picks a free loopback port. code-server does not accept port 0, so the port is picked first. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a process in its own process group (detached) so that stopAll() can end it with all of
 * its children. Output goes to `logFile` and a kept tail.
 */
export function startProcess(name: string, cmd: string, args: string[], options: SpawnOptions & { logFile?: string } = {}): Started {
  const child = spawn(cmd, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const log = options.logFile ? fs.createWriteStream(options.logFile) : undefined;
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-8000);
    log?.write(chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      log?.end();
      resolve(code ?? signal ?? 'unknown');
    });
    child.on('error', (err) => {
      tail += `\n${String(err)}`;
      resolve('spawn-error');
    });
  });
  const entry: Started = { name, child, output: () => tail, exited };
  started.push(entry);
  return entry;
}

/** Runs a command to completion, with inherited output; rejects on a non-zero exit. */
export function runToEnd(cmd: string, args: string[], options: SpawnOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops one started process by its PID: SIGTERM to its group, SIGKILL after a grace period. */
export async function stopProcess(p: Started, graceMs = 5000): Promise<void> {
  const pid = p.child.pid;
  if (pid === undefined || p.child.exitCode !== null || p.child.signalCode !== null) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal); // the whole group: code-server forks its extension host
    } catch {
      try {
        process.kill(pid, signal);
      } catch {
        /* already gone */
      }
    }
  };
  signalGroup('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && alive(pid)) await sleep(100);
  if (alive(pid)) signalGroup('SIGKILL');
  // Children that outlived their leader are still in the group.
  signalGroup('SIGKILL');
}

/** Stops every process started through startProcess, newest first. */
export async function stopAll(): Promise<void> {
  while (started.length > 0) {
    const p = started.pop()!;
    await stopProcess(p).catch(() => undefined);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `probe` until it returns a value, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await sleep(everyMs);
  }
}

/** Waits until an HTTP GET on `url` answers (any status below 500). */
export function waitForHttp(url: string, timeoutMs: number, proc?: Started): Promise<true> {
  return waitFor(
    url,
    async () => {
      if (proc && proc.child.exitCode !== null) {
        throw new Error(`${proc.name} exited early:\n${proc.output()}`);
      }
      const res = await fetch(url, { redirect: 'manual' });
      return res.status < 500 ? true : undefined;
    },
    timeoutMs,
  );
}

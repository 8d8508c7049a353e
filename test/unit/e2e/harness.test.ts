import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import { csvRecordCount } from '../../e2e/scenarios/s5-export';
import { freePort, startProcess, stopProcess, waitForHttp } from '../../e2e/processes';

describe('e2e harness helpers', () => {
  it('csvRecordCount counts RFC 4180 records, not lines', () => {
    assert.strictEqual(csvRecordCount('id,name\n'), 0);
    assert.strictEqual(csvRecordCount('id,name\r\n1,a\r\n2,b\r\n'), 2);
    assert.strictEqual(csvRecordCount('id,name\n1,"two\nlines"\n2,"quote "" inside"'), 2);
    assert.strictEqual(csvRecordCount('id,name\n1,a\n\n'), 2, 'an empty last line is a record with one empty field');
  });

  it('freePort gives a port that can be listened on', async () => {
    const port = await freePort();
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      await waitForHttp(`http://127.0.0.1:${port}/`, 5_000);
    } finally {
      server.close();
    }
  });

  it('stopProcess ends a started process and its children by process group', async () => {
    // A shell that starts a child and waits: both must be gone after stopProcess.
    const p = startProcess('sleeper', 'sh', ['-c', 'sleep 30 & echo $!; wait']);
    const childPid = await new Promise<number>((resolve) => p.child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    await stopProcess(p, 2_000);
    await p.exited;
    // A killed orphan may linger as a zombie until some init reaps it: that counts as gone.
    const alive = (pid: number) => {
      try {
        return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    await new Promise((r) => setTimeout(r, 200));
    assert.strictEqual(alive(p.child.pid!), false);
    assert.strictEqual(alive(childPid), false, 'the grandchild outlived stopProcess');
  });
});

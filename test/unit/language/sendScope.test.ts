/**
 * Named responses are reused only where they were answered (connection, site, company), and Send
 * all sends each planned request once, following the requests themselves while the file changes.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SecretRegistry } from '../../../src/core/http/redact';
import type { HttpResponse } from '../../../src/core/http/types';
import type { SendContext } from '../../../src/language/sendController';
import { DocumentAnalyses, jsonResponse, openDocument, resetWindow, SendController, shown, window } from './sendHarness';

type Sent = { method: string; url: string; headers?: Record<string, string>; body?: string };

describe('Send: named responses and Send all', () => {
  let dir: string;
  let n = 0;
  const controllers: { dispose(): void }[] = [];
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-sendscope-'));
  });
  beforeEach(() => {
    resetWindow();
  });
  afterEach(() => {
    for (const c of controllers.splice(0)) c.dispose();
  });
  after(() => {
    resetWindow();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function setup(text: string, sender: (req: Sent) => Promise<HttpResponse>, context: () => SendContext = () => ({})) {
    const doc = openDocument(path.join(dir, `f${n++}.sage200`), text);
    const controller = new SendController({
      analyses: new DocumentAnalyses(), sender: { send: sender }, context, variables: () => ({ environments: {} }),
      showResponse: () => undefined, accessToken: async () => undefined, secrets: new SecretRegistry(),
    });
    controllers.push(controller);
    return { ...doc, controller };
  }

  /** The user answers every question with its first button, and the questions are kept. */
  function answerYes(): string[] {
    const asked: string[] = [];
    window.showInformationMessage = async (m, ...items) => {
      asked.push(m);
      return items[0];
    };
    return asked;
  }

  const block = (title: string, lines: string[]): string => [`### ${title}`, ...lines, ''].join('\n');
  const customer = block('New customer', ['# @name customer', 'POST /customers', 'Content-Type: application/json', '', '{ "reference": "NEW01" }']);
  const order = block('Order', ['POST /sop_orders', 'Content-Type: application/json', '', '{ "customer_id": {{customer.response.body.$.id}} }']);

  describe('named responses', () => {
    it('come from the company the request is sent to, not from the one active when they were answered', async () => {
      const asked = answerYes();
      const sent: string[] = [];
      let company = 1;
      // Ids repeat across companies: each company answers with its own.
      const { uri, controller } = setup(customer + order, async (req) => {
        sent.push(`${req.method} ${req.url} ${req.headers?.['X-Company']} ${req.body ?? ''}`);
        return jsonResponse(req, { id: Number(req.headers?.['X-Company']) * 100 + sent.length });
      }, () => ({ connectionId: 'c1', site: 's1', company }));
      assert.ok(await controller.send(uri as never, 0));
      company = 2;
      assert.ok(await controller.send(uri as never, 1), shown.errors.join('\n'));
      assert.deepStrictEqual(sent, [
        'POST /customers 1 { "reference": "NEW01" }',
        'POST /customers 2 { "reference": "NEW01" }',
        'POST /sop_orders 2 { "customer_id": 202 }',
      ]);
      assert.deepStrictEqual(asked, ['The request "customer" was sent to another connection, site or company. Send it here first?']);
    });

    it('are not used elsewhere when the user declines to send again', async () => {
      const sent: string[] = [];
      let ctx: SendContext = { connectionId: 'c1', site: 's1', company: 1 };
      const { uri, controller } = setup(customer + order, async (req) => {
        sent.push(`${req.method} ${req.url}`);
        return jsonResponse(req, { id: 7 });
      }, () => ctx);
      assert.ok(await controller.send(uri as never, 0));
      for (const other of [{ ...ctx, connectionId: 'c2' }, { ...ctx, site: 's2' }, { ...ctx, company: 2 }]) {
        ctx = other;
        // The default stand-in dismisses the question.
        assert.strictEqual(await controller.send(uri as never, 1), false, JSON.stringify(other));
      }
      assert.deepStrictEqual(sent, ['POST /customers'], 'the order was never sent');
      assert.strictEqual(shown.info.length, 3, 'each time the user was asked');
      assert.ok(shown.errors.every((e) => e.startsWith('Not sent:')), shown.errors.join('\n'));
    });

    it('are reused without a question where they were answered', async () => {
      const asked = answerYes();
      const sent: string[] = [];
      const { uri, controller } = setup(customer + order, async (req) => {
        sent.push(`${req.method} ${req.url} ${req.body ?? ''}`);
        return jsonResponse(req, { id: 41 });
      }, () => ({ connectionId: 'c1', site: 's1', company: 1 }));
      assert.ok(await controller.send(uri as never, 0));
      assert.ok(await controller.send(uri as never, 1));
      assert.deepStrictEqual(sent, ['POST /customers { "reference": "NEW01" }', 'POST /sop_orders { "customer_id": 41 }']);
      assert.deepStrictEqual(asked, []);
    });
  });

  describe('Send all', () => {
    it('sends a later named write once when an earlier request sent it first', async () => {
      const asked = answerYes();
      const sent: string[] = [];
      let id = 100;
      const { uri, controller } = setup(order + customer, async (req) => {
        sent.push(`${req.method} ${req.url} ${req.body ?? ''}`);
        return jsonResponse(req, { id: id++ });
      });
      await controller.sendAll(uri as never);
      assert.deepStrictEqual(sent, ['POST /customers { "reference": "NEW01" }', 'POST /sop_orders { "customer_id": 100 }']);
      assert.deepStrictEqual(asked, ['The request "customer" has not been sent yet. Send it first?']);
      assert.deepStrictEqual(shown.warnings, []);
    });

    it('stops where a request sent first failed, without sending it again', async () => {
      answerYes();
      const sent: string[] = [];
      const last = block('Last', ['GET /customers']);
      const { uri, controller } = setup(order + customer + last, async (req) => {
        sent.push(`${req.method} ${req.url}`);
        return req.url === '/customers' && req.method === 'POST' ? jsonResponse(req, { id: 5 }, 422) : jsonResponse(req, { id: 6 });
      });
      await controller.sendAll(uri as never);
      // The customer's failure counts in its own turn: it is not sent again, and Send all stops there.
      assert.deepStrictEqual(sent, ['POST /customers', 'POST /sop_orders']);
      assert.deepStrictEqual(shown.warnings, ['Send all stopped at request 2 of 3.']);
    });

    it('follows the requests it planned when a request is added above them while it runs', async () => {
      const first = block('First', ['GET /customers?$top=1']);
      const second = block('Second', ['GET /suppliers?$top=1']);
      const sent: string[] = [];
      const doc = setup(first + second, async (req) => {
        sent.push(`${req.method} ${req.url}`);
        // The user adds a request at the top while the first one is on its way.
        if (sent.length === 1) doc.edit(block('Added', ['DELETE /products/1']) + first + second);
        return jsonResponse(req, {}, 200);
      });
      await doc.controller.sendAll(doc.uri as never);
      assert.deepStrictEqual(sent, ['GET /customers?$top=1', 'GET /suppliers?$top=1']);
      assert.deepStrictEqual(shown.warnings, []);
    });

    it('stops, saying so, when a planned request was removed or changed while it ran', async () => {
      const first = block('First', ['GET /customers?$top=1']);
      const second = block('Second', ['POST /suppliers', '', '{ "reference": "S1" }']);
      const third = block('Third', ['GET /products?$top=1']);
      for (const edited of [first + third, first + second.replace('S1', 'S2') + third]) {
        resetWindow();
        const sent: string[] = [];
        const doc = setup(first + second + third, async (req) => {
          sent.push(`${req.method} ${req.url}`);
          if (sent.length === 1) doc.edit(edited);
          return jsonResponse(req, {}, 200);
        });
        await doc.controller.sendAll(doc.uri as never);
        assert.deepStrictEqual(sent, ['GET /customers?$top=1']);
        assert.deepStrictEqual(shown.warnings, ['Send all stopped at request 2 of 3: it was changed or removed while sending.']);
      }
    });
  });
});

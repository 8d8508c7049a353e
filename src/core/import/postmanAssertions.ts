/**
 * `??` assertion lines as Postman `pm.test` scripts. The line is read by the project's grammar
 * (`parseAssertion`) and its JSONPath by `parseJsonPath`; what runs in Postman is a small ES5 helper,
 * written once into each request's test script, that checks an assertion as `testing/evaluate.ts`
 * does: the same subjects (status, header, duration, body by JSONPath, count), the same predicates,
 * the expected value read the same way (quotes optional, numbers as numbers, JSON literals), a missing
 * value that only `!=` and `exists` can judge, and the same failure message.
 *
 * Where Postman differs, and why it is left so:
 * - `duration` is Postman's `pm.response.responseTime`, its own measure of the same wait: the two
 *   tools never time one exchange identically.
 * - `header` is `pm.response.headers.get(name)` (any case): a header sent twice is one value joined by
 *   ", " for the runner, and one of the values for Postman. Sage 200 sends no such header that a test
 *   would check.
 */
import { parseJsonPath } from '../requestFile/jsonPath';
import { AssertionLine } from '../requestFile';
import { Assertion, parseAssertion } from '../testing/assertion';

/** The helper's name in the script. */
const HELPER = 'sage200';

/** The helper: `sage200.check(subject, predicate, expected, label)` gives `{ passed, message }`. */
const HELPER_SOURCE = String.raw`// Sage 200 assertions, checked as the Sage 200 API Explorer's runner checks them.
var sage200 = (function () {
    var MISSING = {};
    function bodyText() { return pm.response.text().replace(/^\uFEFF/, ''); }
    function bodyJson() { try { return JSON.parse(bodyText()); } catch (e) { return undefined; } }
    function select(value, steps) {
        var current = [value];
        steps.forEach(function (step) {
            var next = [];
            current.forEach(function (v) {
                if (step.kind === 'all') {
                    if (Array.isArray(v)) next.push.apply(next, v);
                    else if (v && typeof v === 'object') Object.keys(v).forEach(function (k) { next.push(v[k]); });
                } else if (step.kind === 'index') {
                    if (!Array.isArray(v)) return;
                    var i = step.index < 0 ? v.length + step.index : step.index;
                    if (i >= 0 && i < v.length) next.push(v[i]);
                } else if (v && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, step.key)) {
                    next.push(v[step.key]);
                }
            });
            current = next;
        });
        return current;
    }
    function count(json) {
        if (Array.isArray(json)) return json.length;
        if (typeof json === 'number' && isFinite(json)) return json;
        if (typeof json === 'string' && /^\d+$/.test(json.trim())) return Number(json.trim());
        if (json && typeof json === 'object') {
            var keys = ['@odata.count', 'odata.count', 'count', 'Count', 'total', 'Total', 'total_count'];
            for (var i = 0; i < keys.length; i++) {
                var v = json[keys[i]];
                if (typeof v === 'number' && isFinite(v)) return v;
                if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
            }
        }
        if (json === undefined && /^\s*\d+\s*$/.test(bodyText())) return Number(bodyText().trim());
        return MISSING;
    }
    function actual(s) {
        if (s.kind === 'status') return pm.response.code;
        if (s.kind === 'duration') return Math.round(pm.response.responseTime);
        if (s.kind === 'header') {
            var h = pm.response.headers.get(s.name);
            return h === undefined || h === null ? MISSING : String(h);
        }
        var json = bodyJson();
        if (s.kind === 'count') return count(json);
        if (s.whole) return json === undefined ? bodyText() : json;
        if (json === undefined) return MISSING;
        var found = select(json, s.steps);
        return s.multi ? found : found.length ? found[0] : MISSING;
    }
    function show(v) {
        if (v === MISSING || v === undefined) return '(none)';
        var s = typeof v === 'number' || typeof v === 'boolean' || v === null ? String(v) : JSON.stringify(v);
        return s.length > 200 ? s.slice(0, 199) + '\u2026' : s;
    }
    function expectedValue(text) {
        var t = text.trim();
        if (/^"(?:[^"\\]|\\[\s\S])*"$/.test(t)) { try { return JSON.parse(t); } catch (e) { return t.slice(1, -1); } }
        if (/^'[\s\S]*'$/.test(t)) return t.slice(1, -1);
        if (t === 'true') return true;
        if (t === 'false') return false;
        if (t === 'null') return null;
        if (t !== '' && isFinite(Number(t))) return Number(t);
        if (/^[[{]/.test(t)) { try { return JSON.parse(t); } catch (e) { return t; } }
        return t;
    }
    function text(v) { if (typeof v === 'string') return v; var s = JSON.stringify(v); return s === undefined ? '' : s; }
    function number(v) {
        if (typeof v === 'number') return v;
        if (typeof v === 'string' && v.trim() !== '' && isFinite(Number(v))) return Number(v);
        return undefined;
    }
    function canonical(v) {
        return JSON.stringify(v, function (k, x) {
            if (!x || typeof x !== 'object' || Array.isArray(x)) return x;
            var o = {};
            Object.keys(x).sort().forEach(function (key) { o[key] = x[key]; });
            return o;
        });
    }
    function equal(a, e) {
        if (a === e) return true;
        var an = number(a), en = number(e);
        if (typeof a === 'number' || typeof e === 'number') return an !== undefined && an === en;
        if (a === null || e === null || typeof a === 'boolean' || typeof e === 'boolean') return String(a) === String(e);
        if (typeof a === 'object' && typeof e === 'object') return canonical(a) === canonical(e);
        return text(a) === text(e);
    }
    function compare(a, e) {
        var an = number(a), en = number(e);
        if (an !== undefined && en !== undefined) return an - en;
        if (typeof a === 'string' && typeof e === 'string') return a < e ? -1 : a > e ? 1 : 0;
        return undefined;
    }
    function regex(source) {
        var m = /^\/([\s\S]*)\/([dgimsuy]*)$/.exec(source);
        try { return m ? new RegExp(m[1], m[2]) : new RegExp(source); } catch (e) { return 'Not a regular expression: ' + e.message + '.'; }
    }
    function holds(p, a, raw) {
        if (p === 'exists') return a !== MISSING && a !== undefined;
        if (a === MISSING) return p === '!=';
        if (p === 'isTrue') return a === true;
        if (p === 'isFalse') return a === false;
        if (p === 'isNumber') return typeof a === 'number';
        if (p === 'isString') return typeof a === 'string';
        if (p === 'isArray') return Array.isArray(a);
        var e = expectedValue(raw);
        if (p === '==') return equal(a, e);
        if (p === '!=') return !equal(a, e);
        if (p === '<' || p === '<=' || p === '>' || p === '>=') {
            var c = compare(a, e);
            if (c === undefined) return 'cannot compare ' + show(a) + ' with ' + raw + ' by ' + p;
            return p === '<' ? c < 0 : p === '<=' ? c <= 0 : p === '>' ? c > 0 : c >= 0;
        }
        if (p === 'contains') return Array.isArray(a) ? a.some(function (x) { return equal(x, e); }) : text(a).indexOf(text(e)) !== -1;
        if (p === 'startsWith') return text(a).indexOf(text(e)) === 0;
        if (p === 'endsWith') { var t = text(a), x = text(e); return t.length >= x.length && t.slice(t.length - x.length) === x; }
        if (p === 'matches') { var re = regex(raw); return typeof re === 'string' ? re : re.test(text(a)); }
        return false;
    }
    function check(s, p, expected, label) {
        var a = actual(s);
        var r = holds(p, a, expected);
        var wanted = expected === undefined ? label + ' ' + p : label + ' ' + p + ' ' + expected;
        if (typeof r === 'string') return { passed: false, message: wanted + ': ' + r };
        return { passed: r, message: r ? wanted : 'expected ' + wanted + ', actual ' + show(a) };
    }
    return { check: check };
})();`.split('\n');

/** The subject as the helper reads it. */
function subjectJson(a: Assertion): Record<string, unknown> {
  const s = a.subject;
  if (s.kind === 'header') return { kind: 'header', name: s.name };
  if (s.kind !== 'body') return { kind: s.kind };
  if (!s.path || s.path === '$') return { kind: 'body', whole: true };
  const steps = parseJsonPath(s.path);
  return { kind: 'body', steps, multi: steps.some((x) => x.kind === 'all') };
}

/** How evaluate.ts names the subject in a message. */
function subjectLabel(a: Assertion): string {
  const s = a.subject;
  return s.kind === 'header' ? `header ${s.name}` : s.kind === 'body' ? `body ${s.path}`.trim() : s.kind;
}

/** One assertion line as a `pm.test`, or why it is not one. */
export type AssertionScript = { readonly exec: readonly string[]; readonly helper: boolean } | { readonly reason: string };

/**
 * `vars` maps the expected value's `{{…}}` to Postman's names; the script resolves them when it runs
 * (`pm.variables.replaceIn`), as the runner resolves them before it checks.
 */
export function assertionScript(line: AssertionLine, vars: (text: string) => string): AssertionScript {
  const parsed = parseAssertion(line.text);
  if (!parsed.ok) return { reason: parsed.error.message };
  const a = parsed.assertion;
  const name = JSON.stringify(line.text);
  // The shape Postman users write, and that import turns back into `?? status == N`.
  if (a.subject.kind === 'status' && a.predicate === '==' && /^\d{3}$/.test(a.expected ?? '')) {
    return { helper: false, exec: [`pm.test(${name}, function () {`, `    pm.response.to.have.status(${a.expected});`, '});'] };
  }
  let expected = 'undefined';
  if (a.expected !== undefined) {
    const mapped = vars(a.expected);
    expected = mapped.includes('{{') ? `pm.variables.replaceIn(${JSON.stringify(mapped)})` : JSON.stringify(mapped);
  }
  const args = [JSON.stringify(subjectJson(a)), JSON.stringify(a.predicate), expected, JSON.stringify(subjectLabel(a))].join(', ');
  return {
    helper: true,
    exec: [
      `pm.test(${name}, function () {`,
      `    var result = ${HELPER}.check(${args});`,
      '    pm.expect(result.passed, result.message).to.equal(true);',
      '});',
    ],
  };
}

/** The test script's lines for a request's assertions: the helper once when a test needs it. */
export function assertionsScript(scripts: readonly { readonly exec: readonly string[]; readonly helper: boolean }[]): string[] {
  const out: string[] = scripts.some((s) => s.helper) ? [...HELPER_SOURCE] : [];
  for (const s of scripts) for (const line of s.exec) out.push(line);
  return out;
}

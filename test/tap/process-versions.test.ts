// The fork is Node v22.22.2 with the dependencies restored from the pinned
// sources: process.versions must say exactly which.
import t from 'tap';

t.test('versions of the binary and what the build restored', async (t) => {
  const v = process.versions as Record<string, string | undefined>;
  t.equal(process.version, 'v22.22.2');
  t.equal(v['acorn'], '8.15.0');
  t.equal(v['undici'], '6.24.1');
  t.equal(v['cjs_module_lexer'], '2.2.0');
  t.equal(v['amaro'], '1.1.5');
  t.equal(v['llhttp'], '9.3.0');
  t.equal(v['ares'], '1.34.5');
  t.equal(v['ada'], '3.4.4');
  t.equal(v['simdjson'], '3.0.1');
  t.equal(v['simdutf'], '8.2.0');
  t.equal(v['icu'], '76.1');
});

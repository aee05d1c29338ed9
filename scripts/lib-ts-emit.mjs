// @ts-check
// lib-ts-emit.mjs SRC OUT: type-check the lib-ts project SRC (SRC/tsconfig.json)
// and write each SRC/**/*.ts (not .d.ts) as OUT/**/*.js with its types
// erased and everything else as written: indentation, blank lines,
// comments, so the file reads like the rest of Node's lib/ (tsc's own
// printer re-indents by four and drops blank lines).
//
// Erasing deletes annotations, `as`/`satisfies`/`!`, type parameters and
// arguments, and whole type-only statements (interfaces, type aliases,
// declare, overloads) with the comment lines attached to them. Two checks
// hold every file to tsc: the output must parse as JavaScript, and printed
// without comments it must equal tsc's own emit of the source for the
// project's target, so nothing is left, lost, or downlevelled.
//
// Type errors (tsc's pre-emit diagnostics, noEmitOnError, and errors inside
// lib-ts's own typings, which skipLibCheck would hide) or a failed check
// write nothing and exit 1. OUT is replaced whole, so a removed source
// leaves no stale file behind.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const [srcArg, outArg] = process.argv.slice(2);
if (!srcArg || !outArg) {
  console.error('usage: lib-ts-emit.mjs SRC OUT');
  process.exit(2);
}
const src = path.resolve(srcArg);
const out = path.resolve(outArg);
const say = (/** @type {string} */ msg) => console.log(`lib-ts: ${msg}`);

class EmitError extends Error {}

/** @param {ts.SourceFile} sf @param {number} pos @param {string} msg */
function errorAt(sf, pos, msg) {
  const { line, character } = sf.getLineAndCharacterOfPosition(pos);
  return new EmitError(`${path.relative(process.cwd(), sf.fileName)}:${line + 1}:${character + 1}: ${msg}`);
}

// --- the project -------------------------------------------------------------

const host = {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (/** @type {ts.Diagnostic} */ d) => {
    throw new EmitError(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  },
};
// tsc's own two formats: with colour and context on a terminal, plain
// file(line,col) lines otherwise (logs, tests).
const formatDiagnostics = (/** @type {readonly ts.Diagnostic[]} */ ds) =>
  (process.stderr.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics)(ds, formatHost);
const formatHost = {
  getCanonicalFileName: (/** @type {string} */ f) => f,
  getCurrentDirectory: () => process.cwd(),
  getNewLine: () => '\n',
};

/** @param {ts.SourceFile} sf */
const isOwnSource = (sf) => !sf.isDeclarationFile && sf.fileName.startsWith(`${src}/`);

// --- erasing -----------------------------------------------------------------

const { SyntaxKind: K } = ts;
// Modifiers that exist only for the type checker.
const typeOnlyModifiers = new Set([K.PublicKeyword, K.PrivateKeyword, K.ProtectedKeyword,
  K.ReadonlyKeyword, K.OverrideKeyword]);

/** @param {ts.Node} n */
const isTypeSyntax = (n) =>
  (ts.isTypeNode(n) && !ts.isExpressionWithTypeArguments(n)) || ts.isTypeParameterDeclaration(n);

/** @param {ts.Node} n @returns {n is ts.AsExpression | ts.SatisfiesExpression | ts.NonNullExpression} */
const isAssertion = (n) => ts.isAsExpression(n) || ts.isSatisfiesExpression(n) || ts.isNonNullExpression(n);

/** @param {ts.Expression} n @returns {ts.Expression} */
const skipAssertions = (n) =>
  isAssertion(n) || ts.isParenthesizedExpression(n) ? skipAssertions(n.expression) : n;

// An expression that reads the same with or without parentheses around it
// wherever it stands: a name, `this`, a literal, or a member access or call
// that is no optional chain (`(a?.b).c` is not `a?.b.c`).
/** @param {ts.Node} n @returns {boolean} */
const isSimple = (n) =>
  ts.isIdentifier(n) || n.kind === K.ThisKeyword || ts.isStringLiteral(n) || ts.isNumericLiteral(n) ||
  ((ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n) || ts.isCallExpression(n)) &&
    !ts.isOptionalChain(n));

/**
 * The text of `sf` with its types cut out.
 * @param {ts.SourceFile} sf
 */
function erase(sf) {
  const text = sf.text;
  /** @type {[number, number][]} */
  const cuts = [];
  const cut = (/** @type {number} */ start, /** @type {number} */ end) => { cuts.push([start, end]); };
  // Only spaces between from and to, and at most the line's end.
  const isBlank = (/** @type {number} */ from, /** @type {number} */ to) =>
    /^[ \t\r]*\n?$/.test(text.slice(from, to));
  const lineStart = (/** @type {number} */ pos) => text.lastIndexOf('\n', pos - 1) + 1;
  const lineEnd = (/** @type {number} */ pos) => {
    const nl = text.indexOf('\n', pos);
    return nl < 0 ? text.length : nl + 1;
  };

  // A whole declaration, with the comments directly above it (no blank
  // line between) and any on its last line; when it stands alone on its
  // lines, the lines go, and one of two blank lines it sat between.
  const cutLines = (/** @type {ts.Node} */ node) => {
    let start = node.getStart(sf);
    const comments = ts.getLeadingCommentRanges(text, node.pos) ?? [];
    for (let i = comments.length - 1; i >= 0; i--) {
      const c = /** @type {ts.CommentRange} */ (comments[i]);
      if (/\n[ \t]*\n/.test(text.slice(c.end, start))) break;
      start = c.pos;
    }
    let end = node.end;
    for (const c of ts.getTrailingCommentRanges(text, end) ?? []) end = c.end;
    const from = lineStart(start);
    const to = lineEnd(end);
    if (!isBlank(from, start) || !isBlank(end, to)) {
      cut(node.getStart(sf), node.end);
      return;
    }
    const prevBlank = from === 0 || isBlank(lineStart(from - 1), from - 1);
    const nextEnd = lineEnd(to);
    if (prevBlank && to < text.length && isBlank(to, nextEnd)) cut(from, nextEnd);
    else cut(from, to);
  };

  // `<...>` around type parameters or arguments.
  const cutAngles = (/** @type {ts.NodeArray<ts.Node>} */ list) => {
    const open = list.pos - 1;
    const close = text.indexOf('>', list.end);
    if (text[open] !== '<' || close < 0 || !/^[\s,]*$/.test(text.slice(list.end, close)))
      throw errorAt(sf, list.pos, 'cannot find the <...> around these type parameters/arguments');
    cut(open, close + 1);
  };

  // `: T` after a name or a parameter list (and the spaces before the colon).
  const cutAnnotation = (/** @type {ts.TypeNode} */ type) => {
    let colon = type.pos - 1;
    if (text[colon] !== ':') throw errorAt(sf, type.pos, 'cannot find the colon of this type annotation');
    while (colon > 0 && (text[colon - 1] === ' ' || text[colon - 1] === '\t')) colon--;
    cut(colon, type.end);
  };

  /** @param {ts.Node} node */
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node) ||
        ts.isExportDeclaration(node) || ts.isExportAssignment(node)) {
      throw errorAt(sf, node.getStart(sf),
        'lib-ts files are CommonJS like the rest of lib/: require() and module.exports, no import/export');
    }
    if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) ||
        ts.isIndexSignatureDeclaration(node)) {
      cutLines(node);
      return;
    }
    // Overload signatures: a function, method or constructor without a body.
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) ||
         ts.isConstructorDeclaration(node)) && node.body === undefined) {
      cutLines(node);
      return;
    }
    const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) ?? [] : [];
    for (const m of modifiers) {
      if (m.kind === K.DeclareKeyword || (m.kind === K.AbstractKeyword && !ts.isClassLike(node))) {
        cutLines(node);
        return;
      }
      if (m.kind === K.ExportKeyword || m.kind === K.DefaultKeyword)
        throw errorAt(sf, m.getStart(sf), 'lib-ts files are CommonJS: module.exports, no export');
      if (typeOnlyModifiers.has(m.kind) || m.kind === K.AbstractKeyword) {
        let end = m.end;
        while (/\s/.test(text[end] ?? '')) end++;
        cut(m.getStart(sf), end);
      }
    }
    if (ts.isEnumDeclaration(node) || ts.isModuleDeclaration(node) ||
        ts.isTypeAssertionExpression(node) || ts.isParameterPropertyDeclaration(node, node.parent)) {
      throw errorAt(sf, node.getStart(sf), 'not erasable syntax (tsconfig: erasableSyntaxOnly)');
    }
    if (ts.isDecorator(node))
      throw errorAt(sf, node.getStart(sf), 'decorators are not in V8 12.4');

    if (ts.isParameter(node) && ts.isIdentifier(node.name) && node.name.text === 'this') {
      // A `this` parameter: the parameter and the comma after it.
      const params = /** @type {ts.SignatureDeclaration} */ (node.parent).parameters;
      const next = params[params.indexOf(node) + 1];
      cut(node.getStart(sf), next ? next.getStart(sf) : node.end);
      return;
    }
    if (ts.isParameter(node) || ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node)) {
      // `name?: T`, `name!: T`: from the end of the name.
      const q = ts.isVariableDeclaration(node) ? undefined : node.questionToken;
      const bang = ts.isParameter(node) ? undefined : node.exclamationToken;
      const last = node.type ?? bang ?? q;
      if (last) cut(node.name.end, last.end);
    } else if (ts.isFunctionLike(node)) {
      if (node.typeParameters) cutAngles(node.typeParameters);
      if (ts.isMethodDeclaration(node) && node.questionToken)
        cut(node.questionToken.end - 1, node.questionToken.end);
      if (node.type) cutAnnotation(node.type);
    } else if (ts.isClassLike(node)) {
      if (node.typeParameters) cutAngles(node.typeParameters);
    } else if (ts.isHeritageClause(node) && node.token === K.ImplementsKeyword) {
      let start = node.getStart(sf);
      while (/\s/.test(text[start - 1] ?? '')) start--;
      cut(start, node.end);
      return;
    } else if (ts.isCallExpression(node) || ts.isNewExpression(node) ||
               ts.isTaggedTemplateExpression(node) || ts.isExpressionWithTypeArguments(node)) {
      if (node.typeArguments) cutAngles(node.typeArguments);
    } else if (isAssertion(node)) {
      cut(node.expression.end, node.end);
    } else if (ts.isParenthesizedExpression(node) && isAssertion(node.expression) &&
               isSimple(skipAssertions(node.expression))) {
      // `(x as T).y` -> `x.y`, as tsc drops them: parentheses that only
      // held the assertion, around an expression that needs none.
      cut(node.getStart(sf), node.expression.getStart(sf));
      cut(node.expression.end, node.end);
    }
    ts.forEachChild(node, (child) => {
      if (!isTypeSyntax(child)) visit(child);
    });
  };

  ts.forEachChild(sf, visit);

  cuts.sort((a, b) => a[0] - b[0]);
  let result = '';
  let at = 0;
  for (const [start, end] of cuts) {
    if (start < at) throw errorAt(sf, start, 'internal error: overlapping cuts');
    result += text.slice(at, start);
    at = end;
  }
  return result + text.slice(at);
}

// --- checking ----------------------------------------------------------------

// Drops every pair of parentheses; the node factory puts back those the
// grammar needs when it rebuilds the parents.
/** @type {ts.TransformerFactory<ts.SourceFile>} */
const unwrapParentheses = (context) => (sf) => {
  /** @type {ts.Visitor} */
  const visit = (node) => {
    const visited = ts.visitEachChild(node, visit, context);
    return ts.isParenthesizedExpression(visited) ? visited.expression : visited;
  };
  return /** @type {ts.SourceFile} */ (ts.visitNode(sf, visit));
};

/**
 * JavaScript printed by tsc without comments, redundant parentheses or
 * downlevelling: equal for two texts that differ only in layout, comments
 * and parentheses that change nothing.
 * @param {string} js
 */
function normalized(js) {
  return ts.transpileModule(js, {
    transformers: { after: [unwrapParentheses] },
    fileName: 'normalize.js',
    compilerOptions: {
      allowJs: true,
      target: ts.ScriptTarget.ESNext,
      module: ts.ModuleKind.Preserve,
      moduleDetection: ts.ModuleDetectionKind.Force,
      removeComments: true,
    },
  }).outputText;
}

/** @param {ts.SourceFile} sf @param {string} js @param {string} tscEmit */
function check(sf, js, tscEmit) {
  const first = ts.createSourceFile('first.js', js, ts.ScriptTarget.ESNext).statements[0];
  if (!first || !ts.isExpressionStatement(first) || !ts.isStringLiteral(first.expression) ||
      first.expression.text !== 'use strict') {
    throw errorAt(sf, 0, "a lib file starts with 'use strict'; (CommonJS is not strict otherwise)");
  }
  const parsed = ts.transpileModule(js, {
    fileName: `${path.basename(sf.fileName, '.ts')}.js`,
    reportDiagnostics: true,
    compilerOptions: { allowJs: true, target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.Preserve },
  });
  const syntax = parsed.diagnostics ?? [];
  if (syntax.length > 0) {
    const d = /** @type {ts.Diagnostic} */ (syntax[0]);
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : '?';
    throw new EmitError(`${path.relative(process.cwd(), sf.fileName)}: the erased text is not JavaScript ` +
      `(its line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')})`);
  }
  const mine = normalized(js);
  const theirs = normalized(tscEmit);
  if (mine !== theirs) {
    const a = mine.split('\n');
    const b = theirs.split('\n');
    let i = 0;
    while (a[i] === b[i]) i++;
    throw new EmitError(`${path.relative(process.cwd(), sf.fileName)}: differs from tsc's own emit ` +
      `(something erased too much or too little, or tsc downlevels it for the target):\n` +
      `  erased: ${a[i] ?? '<end>'}\n  tsc:    ${b[i] ?? '<end>'}`);
  }
}

// --- main --------------------------------------------------------------------

function main() {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(src, 'tsconfig.json'), {}, host);
  if (!config) throw new EmitError(`cannot read ${path.join(src, 'tsconfig.json')}`);
  if (config.errors.length > 0) {
    process.stderr.write(formatDiagnostics(config.errors));
    throw new EmitError(`${config.errors.length} error(s) in tsconfig.json`);
  }
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  // skipLibCheck (Node's typings fail strict mode) would also hide errors
  // in lib-ts's own typings/, which are .d.ts too: check those separately.
  const full = ts.createProgram({
    rootNames: config.fileNames, options: { ...config.options, skipLibCheck: false }, oldProgram: program,
  });
  const ownTypings = full.getSourceFiles().filter((sf) => sf.isDeclarationFile && sf.fileName.startsWith(`${src}/`));
  const diagnostics = [
    ...ts.getPreEmitDiagnostics(program),
    ...ownTypings.flatMap((sf) => full.getSemanticDiagnostics(sf)),
  ];
  if (diagnostics.length > 0) {
    process.stderr.write(formatDiagnostics(diagnostics));
    throw new EmitError(`${diagnostics.length} type error(s), nothing written`);
  }

  /** @type {Map<string, string>} out-relative path -> text */
  const files = new Map();
  for (const sf of program.getSourceFiles()) {
    if (!isOwnSource(sf)) continue;
    const rel = path.relative(src, sf.fileName);
    if (rel.startsWith(`typings${path.sep}`))
      throw errorAt(sf, 0, 'typings/ holds declarations only (.d.ts)');
    /** @type {string | undefined} */
    let tscEmit;
    const r = program.emit(sf, (name, text) => { if (name.endsWith('.js')) tscEmit = text; });
    if (r.emitSkipped || tscEmit === undefined) throw errorAt(sf, 0, 'tsc emitted nothing for this file');
    const js = erase(sf);
    check(sf, js, tscEmit);
    files.set(rel.replace(/\.ts$/, '.js'), js);
  }

  const tmp = `${out}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  for (const [rel, js] of files) {
    fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
    fs.writeFileSync(path.join(tmp, rel), js);
  }
  fs.mkdirSync(tmp, { recursive: true });
  fs.rmSync(out, { recursive: true, force: true });
  fs.renameSync(tmp, out);
  say(`${files.size} file(s) type-checked and written to ${path.relative(process.cwd(), out) || '.'}`);
}

try {
  main();
} catch (e) {
  if (!(e instanceof EmitError)) throw e;
  console.error(`lib-ts: ${e.message}`);
  process.exit(1);
}

#!/usr/bin/env node
// Prints source files over 300 lines and functions over 80 lines (issue 16: small parts).
// Usage: node scripts/code-size.mjs [--all] [--tests] [dirs…]   (default: src; --all also lists functions that carry
// a reason; --tests also counts *.test.ts / *.spec.ts, whose describe/it callbacks are long by nature)
// A function keeps its length when the line above it holds a comment starting `long:` with the reason.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const showAll = args.includes('--all');
const withTests = args.includes('--tests');
const roots = args.filter((a) => !a.startsWith('--'));
const MAX_FILE = 300;
const MAX_FN = 80;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') && (withTests || !/\.(test|spec)\.tsx?$/.test(name))) yield p;
  }
}

const nameOf = (node, sf) => {
  if (node.name) return node.name.getText(sf);
  const p = node.parent;
  if (p && ts.isVariableDeclaration(p)) return p.name.getText(sf);
  if (p && ts.isPropertyAssignment(p)) return p.name.getText(sf);
  if (p && ts.isCallExpression(p)) return `${p.expression.getText(sf).slice(0, 40)}(…)`;
  return '(anonymous)';
};

const bigFiles = [];
const bigFns = [];
for (const root of roots.length ? roots : ['src']) {
  for (const file of files(root)) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const rel = relative(process.cwd(), file);
    if (lines.length > MAX_FILE) bigFiles.push([lines.length, rel]);
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const visit = (node) => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
        const length = end - start + 1;
        if (length > MAX_FN) {
          // The statement holding the function (a `const x = () =>` or an `export function`) may carry the reason above it.
          let holder = node;
          while (holder.parent && !ts.isSourceFile(holder.parent) && !ts.isBlock(holder.parent) && !ts.isClassLike(holder.parent) && !ts.isArrayLiteralExpression(holder.parent)) holder = holder.parent;
          const from = sf.getLineAndCharacterOfPosition(holder.getStart(sf)).line;
          const reason = /\blong:/.test(lines.slice(Math.max(0, from - 3), from).join('\n'));
          bigFns.push({ length, where: `${rel}:${start + 1}`, name: nameOf(node, sf), reason });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
}

bigFiles.sort((a, b) => b[0] - a[0]);
bigFns.sort((a, b) => b.length - a.length);
console.log(`Files over ${MAX_FILE} lines: ${bigFiles.length}`);
for (const [n, f] of bigFiles) console.log(`  ${String(n).padStart(5)}  ${f}`);
const unexplained = bigFns.filter((f) => !f.reason);
console.log(`Functions over ${MAX_FN} lines: ${bigFns.length} (${unexplained.length} without a "long:" reason)`);
for (const f of showAll ? bigFns : unexplained) console.log(`  ${String(f.length).padStart(5)}  ${f.where}  ${f.name}${f.reason ? '  (reason given)' : ''}`);

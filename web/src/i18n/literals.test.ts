// @vitest-environment node
/// <reference types="node" />
// No page shows text that is not a key of the catalogs: the JSX of every component is parsed
// (rolldown's parser, which Vite builds with) and any text a person would read — JSX text, a
// text attribute (label, title, placeholder, aria-label, …), a string or template put in the
// JSX — fails the test with its file and line.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAst } from 'rolldown/parseAst';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..');
/** Text that is the same in every language. */
const SAME_EVERYWHERE = new Set(['Lanyard', 'English', '简体中文', 'SAML', 'CSV', 'ID', 'URL', 'OK']);
/** Attributes whose value people read. */
const TEXT_ATTRIBUTE = /^(label|title|placeholder|alt|aria-label|aria-description|question|confirmLabel|hint|caption|summary|heading|legend|noun)$|(Label|Text|Title|Message)$/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'gql' ? [] : files(path);
    return /\.tsx$/.test(entry.name) && !/\.test\.tsx$/.test(entry.name) ? [path] : [];
  });
}

/** Words a person reads, not punctuation, numbers or symbols. */
function readable(text: string): boolean {
  const t = text.trim();
  return /\p{L}{2,}/u.test(t) && !SAME_EVERYWHERE.has(t);
}

type Node = { type: string; start: number; [key: string]: unknown };

function walk(node: unknown, visit: (node: Node, parent: Node | undefined) => void, parent?: Node) {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit, parent);
    return;
  }
  if (!node || typeof node !== 'object' || typeof (node as Node).type !== 'string') return;
  visit(node as Node, parent);
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'type' && value && typeof value === 'object') walk(value, visit, node as Node);
  }
}

/** Strings that reach the JSX through an expression: `{'x'}`, `{a ? 'x' : 'y'}`, `{a ?? 'x'}`. */
function shownStrings(node: unknown): Node[] {
  if (!node || typeof node !== 'object') return [];
  const n = node as Node;
  switch (n.type) {
    case 'Literal':
      return typeof n.value === 'string' ? [n] : [];
    case 'TemplateLiteral':
      return (n.quasis as Node[]).filter((q) => readable(String((q.value as { cooked: string }).cooked)));
    case 'ConditionalExpression':
      return [...shownStrings(n.consequent), ...shownStrings(n.alternate)];
    case 'LogicalExpression':
      return shownStrings(n.right);
    default:
      return [];
  }
}

function untranslated(path: string): string[] {
  const source = readFileSync(path, 'utf8');
  const ast = parseAst(source, { lang: 'tsx' });
  const line = (offset: number) => source.slice(0, offset).split('\n').length;
  const found: string[] = [];
  const report = (node: Node, text: string) =>
    found.push(`${relative(SRC, path)}:${line(node.start)} ${JSON.stringify(text.trim())}`);
  walk(ast, (node, parent) => {
    if (node.type === 'JSXText' && readable(String(node.value))) report(node, String(node.value));
    if (node.type === 'JSXAttribute') {
      const name = (node.name as { name: string }).name;
      if (!TEXT_ATTRIBUTE.test(name)) return;
      for (const s of shownStrings(node.value)) if (readable(String(s.value ?? ''))) report(s, String(s.value));
      const value = node.value as Node | null;
      if (value?.type === 'JSXExpressionContainer') {
        for (const s of shownStrings(value.expression)) {
          const text = s.type === 'Literal' ? String(s.value) : String((s.value as { cooked: string }).cooked);
          if (readable(text)) report(s, text);
        }
      }
    }
    if (node.type === 'JSXExpressionContainer' && parent?.type !== 'JSXAttribute') {
      for (const s of shownStrings(node.expression)) {
        const text = s.type === 'Literal' ? String(s.value) : String((s.value as { cooked: string }).cooked);
        if (readable(text)) report(s, text);
      }
    }
  });
  return found;
}

describe('the console shows no text outside the catalogs', () => {
  for (const path of files(SRC)) {
    it(relative(SRC, path), () => {
      expect(untranslated(path)).toEqual([]);
    });
  }

  it('finds text that is not translated', () => {
    // The check itself, on a file written to fail it.
    const probe = join(import.meta.dirname, '__probe__.tsx');
    writeFileSync(
      probe,
      `export const P = ({ a }: { a: boolean }) => <p title="Hover text">Hello {a ? 'Yes please' : t('x')} <input placeholder={\`Type here\`} /></p>;`,
    );
    try {
      expect(untranslated(probe).map((s) => s.replace(/^.*? /, ''))).toEqual([
        '"Hover text"',
        '"Hello"',
        '"Yes please"',
        '"Type here"',
      ]);
    } finally {
      rmSync(probe);
    }
  });
});

// The parsed pipeline file with the means to say where any node came from (file:line:col).
import { isAlias, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { SourcePos } from '../plan-types.ts';
import type { ConfigErrorCollector } from './config-errors.ts';

export interface YamlSource {
  /** Path used in messages (relative to the project root when inside it). */
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export function parseYamlSource(text: string, file: string, errors: ConfigErrorCollector): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  for (const err of doc.errors) {
    const pos = err.linePos?.[0] ?? lines.linePos(err.pos[0]);
    const lineText = text.split('\n')[pos.line - 1] ?? '';
    errors.add(`YAML syntax error: ${firstLine(err.message)}`, { file, line: pos.line, col: pos.col, hint: yamlHint(err.code, lineText) });
  }
  for (const warning of doc.warnings) {
    const pos = warning.linePos?.[0] ?? lines.linePos(warning.pos[0]);
    errors.add(`YAML: ${firstLine(warning.message)}`, { file, line: pos.line, col: pos.col });
  }
  return { file, doc, lines };
}

/** Position of a node's first character; the document start when the node is missing. */
export function posOf(src: YamlSource, node: unknown, extraOffset = 0): SourcePos {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  const { line, col } = src.lines.linePos((range?.[0] ?? 0) + extraOffset);
  return { file: src.file, line, col };
}

/** Follow `*alias` references so validation sees the value they stand for. */
export function resolveAlias(src: YamlSource, node: unknown): unknown {
  let current = node;
  for (let hops = 0; isAlias(current) && hops < 64; hops++) current = current.resolve(src.doc) as Node | undefined;
  return current;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function yamlHint(code: string, lineText: string): string | undefined {
  // `deps: [deep-vae[learn=true]]`: brackets inside a [flow list] end the item; quoting fixes it.
  if (/\[[^\]]*[\w-]\[[^\]]*=/.test(lineText)) return `quote a filtered dep inside a [flow, list]: ["deep-vae[learn=true]"], or write the list one '- item' per line`;
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'each key may appear once per mapping';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation and the closing bracket of a [flow, list] or {flow: map}';
    case 'TAB_AS_INDENT':
      return 'YAML indents with spaces, not tabs';
    default:
      return undefined;
  }
}

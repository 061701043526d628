// A dependency reference: `deep-vae` or `deep-vae[learn=true,seed=3]` (a filter on its matrix).
import type { ParamValue } from '../stage.ts';
import { parseFilterValue } from './matrix.ts';

export interface DepRef {
  stage: string;
  filter: Record<string, ParamValue>;
  /** Character offset of each filter key inside the reference text, for error positions. */
  keyOffsets: Record<string, number>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Parse a reference; returns an error message (and the offset it refers to) when malformed. */
export function parseDepRef(text: string): DepRef | { error: string; offset: number } {
  const open = text.indexOf('[');
  const stage = (open === -1 ? text : text.slice(0, open)).trim();
  if (!NAME.test(stage)) return { error: `expected a stage name, optionally followed by [key=value,...], found '${text}'`, offset: 0 };
  const filter: Record<string, ParamValue> = {};
  const keyOffsets: Record<string, number> = {};
  if (open === -1) return { stage, filter, keyOffsets };
  if (!text.endsWith(']')) return { error: `a filter must end with ']' in '${text}'`, offset: text.length - 1 };
  let offset = open + 1;
  const body = text.slice(open + 1, -1);
  for (const part of body.split(',')) {
    const eq = part.indexOf('=');
    const key = (eq === -1 ? part : part.slice(0, eq)).trim();
    if (eq === -1 || key === '' || part.slice(eq + 1).trim() === '') {
      return { error: `expected key=value in the filter of '${text}', found '${part}'`, offset };
    }
    if (Object.hasOwn(filter, key)) return { error: `filter key '${key}' given twice in '${text}'`, offset };
    filter[key] = parseFilterValue(part.slice(eq + 1).trim());
    keyOffsets[key] = offset + (part.length - part.trimStart().length);
    offset += part.length + 1;
  }
  return { stage, filter, keyOffsets };
}

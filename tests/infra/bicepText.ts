/**
 * A small reader for the parts of Bicep text the infra test checks: top-level declarations,
 * module blocks, object/array literals and loadJsonContent paths. It does not compile Bicep
 * (no type checking, no expression evaluation); it only finds structure, reliably enough for
 * the plain style infra/ is written in.
 */

/**
 * Same-length copy of `text` with comments and the contents of string literals (including
 * `${…}` interpolations) blanked out, so brackets and keys can be found without being fooled
 * by strings or comments. Quote characters are kept; newlines are kept everywhere.
 */
export function maskBicep(text: string): string {
  const out = text.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };

  // Returns the index just after the string that starts at i (text[i] === "'").
  const skipString = (i: number): number => {
    if (text.startsWith("'''", i)) {
      const end = text.indexOf("'''", i + 3);
      const stop = end === -1 ? text.length : end + 3;
      blank(i + 3, stop - 3);
      return stop;
    }
    let j = i + 1;
    while (j < text.length) {
      const c = text[j];
      if (c === '\\') {
        j += 2;
      } else if (c === "'") {
        blank(i + 1, j);
        return j + 1;
      } else if (c === '$' && text[j + 1] === '{') {
        j = skipCode(j + 2, true);
      } else {
        j++;
      }
    }
    blank(i + 1, text.length);
    return text.length;
  };

  // Scans code from i; inside an interpolation it stops after the unmatched `}`.
  const skipCode = (i: number, interpolation: boolean): number => {
    let depth = 0;
    let j = i;
    while (j < text.length) {
      const c = text[j];
      if (c === "'") {
        j = skipString(j);
      } else if (c === '/' && text[j + 1] === '/') {
        const end = text.indexOf('\n', j);
        const stop = end === -1 ? text.length : end;
        blank(j, stop);
        j = stop;
      } else if (c === '/' && text[j + 1] === '*') {
        const end = text.indexOf('*/', j + 2);
        const stop = end === -1 ? text.length : end + 2;
        blank(j, stop);
        j = stop;
      } else {
        if (c === '{') depth++;
        if (c === '}') {
          if (interpolation && depth === 0) return j + 1;
          depth--;
        }
        j++;
      }
    }
    return j;
  };

  skipCode(0, false);
  return out.join('');
}

const CLOSERS: Record<string, string> = { '{': '}', '[': ']', '(': ')' };

/** Index of the bracket closing the one at `open` (in masked text). */
export function matchingClose(masked: string, open: number): number {
  const stack: string[] = [];
  for (let i = open; i < masked.length; i++) {
    const c = masked[i]!;
    if (c in CLOSERS) stack.push(CLOSERS[c]!);
    else if (c === '}' || c === ']' || c === ')') {
      if (stack.pop() !== c) throw new Error(`unbalanced '${c}' at offset ${i}`);
      if (stack.length === 0) return i;
    }
  }
  throw new Error(`no closing bracket for offset ${open}`);
}

export interface ParamDecl {
  name: string;
  type: string;
  /** Expression text after `=`, when the param has a default. */
  defaultValue?: string;
  /** Values of an `@allowed([...])` decorator made of literals. */
  allowed?: Array<string | number | boolean>;
}

export interface ModuleDecl {
  symbol: string;
  path: string;
  /** Top-level entries of the module's `params: { … }`. */
  params: Map<string, string>;
}

export interface BicepFile {
  text: string;
  masked: string;
  params: Map<string, ParamDecl>;
  vars: Map<string, string>;
  modules: ModuleDecl[];
  /** Paths given to loadJsonContent(…) outside comments. */
  jsonLoads: string[];
}

export function parseBicep(text: string): BicepFile {
  const masked = maskBicep(text);
  return {
    text,
    masked,
    params: readParams(text, masked),
    vars: readVars(text, masked),
    modules: readModules(text, masked),
    jsonLoads: [...text.matchAll(/loadJsonContent\(\s*'([^']+)'/g)]
      .filter((m) => masked.startsWith('loadJsonContent', m.index))
      .map((m) => m[1]!),
  };
}

/** Start offsets of top-level (depth 0) lines that begin with `keyword `. */
function topLevelStatements(masked: string, keyword: string): number[] {
  const starts: number[] = [];
  let depth = 0;
  let lineStart = true;
  for (let i = 0; i < masked.length; i++) {
    const c = masked[i]!;
    if (lineStart && depth === 0 && masked.startsWith(`${keyword} `, i)) starts.push(i);
    lineStart = c === '\n';
    if (c in CLOSERS) depth++;
    else if (c === '}' || c === ']' || c === ')') depth--;
  }
  return starts;
}

/** The text of one declaration: up to the end of its line, or of the bracket it opens. */
function declarationText(text: string, masked: string, start: number): string {
  const lineEnd = masked.indexOf('\n', start) === -1 ? masked.length : masked.indexOf('\n', start);
  const line = masked.slice(start, lineEnd).trimEnd();
  const last = line.at(-1);
  if (last && last in CLOSERS) return text.slice(start, matchingClose(masked, start + line.length - 1) + 1);
  return text.slice(start, lineEnd);
}

function readParams(text: string, masked: string): Map<string, ParamDecl> {
  const params = new Map<string, ParamDecl>();
  for (const start of topLevelStatements(masked, 'param')) {
    const decl = declarationText(text, masked, start);
    const m = /^param\s+(\w+)\s+([\w.?]+)(?:\s*=\s*([\s\S]+))?$/.exec(decl.trim());
    if (!m) throw new Error(`cannot read param declaration: ${decl}`);
    const param: ParamDecl = { name: m[1]!, type: m[2]! };
    if (m[3] !== undefined) param.defaultValue = m[3].trim();
    // Decorators sit between the previous declaration and this one.
    const before = text.slice(0, start);
    const previousDecl = Math.max(...['param ', 'var ', 'resource ', 'module ', 'output ', 'targetScope'].map((k) => before.lastIndexOf(`\n${k}`)));
    const decorators = before.slice(Math.max(previousDecl, 0));
    const allowed = /@allowed\(\s*\[([\s\S]*?)\]\s*\)/.exec(decorators);
    if (allowed) param.allowed = literalList(allowed[1]!);
    params.set(param.name, param);
  }
  return params;
}

function readVars(text: string, masked: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const start of topLevelStatements(masked, 'var')) {
    const decl = declarationText(text, masked, start);
    const m = /^var\s+(\w+)\s*=\s*([\s\S]+)$/.exec(decl.trim());
    if (!m) throw new Error(`cannot read var declaration: ${decl}`);
    vars.set(m[1]!, m[2]!.trim());
  }
  return vars;
}

function readModules(text: string, masked: string): ModuleDecl[] {
  return topLevelStatements(masked, 'module').map((start) => {
    const decl = declarationText(text, masked, start);
    const m = /^module\s+(\w+)\s+'([^']+)'\s*=\s*\{/.exec(decl);
    if (!m) throw new Error(`cannot read module declaration: ${decl.split('\n')[0]}`);
    const body = decl.slice(decl.indexOf('{'));
    const entries = objectEntries(body);
    const paramsText = entries.get('params');
    return { symbol: m[1]!, path: m[2]!, params: paramsText === undefined ? new Map() : objectEntries(paramsText) };
  });
}

/** Top-level `key: value` entries of an object literal (text starting at its `{`). */
export function objectEntries(objectText: string): Map<string, string> {
  const masked = maskBicep(objectText);
  if (masked[0] !== '{') throw new Error(`not an object literal: ${objectText.slice(0, 40)}`);
  const close = matchingClose(masked, 0);
  const keys: Array<{ key: string; valueStart: number; lineStart: number }> = [];
  let depth = 0;
  for (let i = 1; i < close; i++) {
    const c = masked[i]!;
    if (c in CLOSERS) depth++;
    else if (c === '}' || c === ']' || c === ')') depth--;
    else if (depth === 0 && (masked[i - 1] === '\n' || i === 1)) {
      const m = /^[ \t]*(\w+|'[^']*'):[ \t]*/.exec(objectText.slice(i));
      if (m && /^[ \t]*(\w+|'\s*'):/.test(masked.slice(i))) {
        keys.push({ key: m[1]!.replace(/^'|'$/g, ''), valueStart: i + m[0].length, lineStart: i });
      }
    }
  }
  const entries = new Map<string, string>();
  keys.forEach((entry, k) => {
    const end = k + 1 < keys.length ? keys[k + 1]!.lineStart : close;
    entries.set(entry.key, objectText.slice(entry.valueStart, end).trim());
  });
  return entries;
}

/** The object literals that are the top-level items of an array literal (text starting at its `[`). */
export function arrayObjects(arrayText: string): string[] {
  const masked = maskBicep(arrayText);
  if (masked[0] !== '[') throw new Error(`not an array literal: ${arrayText.slice(0, 40)}`);
  const close = matchingClose(masked, 0);
  const items: string[] = [];
  for (let i = 1; i < close; i++) {
    const c = masked[i]!;
    if (c === '{') {
      const end = matchingClose(masked, i);
      items.push(arrayText.slice(i, end + 1));
      i = end;
    } else if (c === '[' || c === '(') {
      i = matchingClose(masked, i);
    } else if (!/\s/.test(c)) {
      throw new Error(`array item is not an object literal near: ${arrayText.slice(i, i + 40)}`);
    }
  }
  return items;
}

/** The bracketed value of the first `key:` property anywhere in the file (outside strings/comments). */
export function propertyValue(file: Pick<BicepFile, 'text' | 'masked'>, key: string): string | undefined {
  const m = new RegExp(`\\b${key}:\\s*`).exec(file.masked);
  if (!m) return undefined;
  const start = m.index + m[0].length;
  const c = file.masked[start]!;
  if (c in CLOSERS) return file.text.slice(start, matchingClose(file.masked, start) + 1);
  const lineEnd = file.text.indexOf('\n', start);
  return file.text.slice(start, lineEnd === -1 ? undefined : lineEnd).trim();
}

/** The value of a plain string literal (no interpolation), else undefined. */
export function stringLiteral(expression: string): string | undefined {
  const m = /^'((?:[^'\\$]|\\.|\$(?!\{))*)'$/.exec(expression.trim());
  return m ? m[1]!.replace(/\\(.)/g, '$1') : undefined;
}

/** Literal items of a decorator list such as `['a', 'b']` or `[512, 2048]` (one per line or comma-separated). */
function literalList(itemsText: string): Array<string | number | boolean> {
  return itemsText
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const text = stringLiteral(item);
      if (text !== undefined) return text;
      if (/^-?\d+$/.test(item)) return Number(item);
      if (item === 'true' || item === 'false') return item === 'true';
      throw new Error(`not a literal in @allowed: ${item}`);
    });
}

/**
 * Reads JSON text the way a config file needs it read: syntax errors with line and column, keys
 * that appear twice in one object (JSON.parse silently keeps the last one, hiding a duplicated
 * step or event), and where every value sits so later errors can point into the file.
 */
import { childPointer } from './json-pointer';

export interface TextPosition {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

export interface DuplicateKey extends TextPosition {
  /** JSON pointer of the second (or later) occurrence. */
  path: string;
  key: string;
  /** Where the first occurrence is. */
  first: TextPosition;
}

export type ParseJsonTextResult =
  | {
      ok: true;
      value: unknown;
      duplicates: DuplicateKey[];
      /** JSON pointer → position of the member's key (or of the array item / root value). */
      positions: Map<string, TextPosition>;
    }
  | {
      ok: false;
      /**
       * `path` is set for reason `depth`: the text is well-formed so far but nested too deep
       * there. `nb` is `message` in bokmål.
       */
      error: TextPosition & {
        message: string;
        nb: string;
        reason: 'syntax' | 'depth';
        path?: string;
      };
    };

export interface ParseJsonTextOptions {
  /** Objects and arrays nested deeper than this fail with reason `depth` (default `MAX_JSON_DEPTH`). */
  maxDepth?: number;
  /**
   * Record where every value sits (default true). Off for hostile input: each position is keyed
   * by its full pointer, which costs the pointer's length per value.
   */
  positions?: boolean;
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly nb: string,
    readonly offset: number,
    readonly reason: 'syntax' | 'depth',
    readonly path?: string,
  ) {
    super(message);
  }
}

/**
 * Parses `text` strictly (RFC 8259; a leading byte order mark is allowed).
 *
 * @example
 * const r = parseJsonText('{"a": 1, "a": 2}');
 * // r.ok === true, r.duplicates[0].path === '/a'
 */
export function parseJsonText(
  text: string,
  options: ParseJsonTextOptions = {},
): ParseJsonTextResult {
  const scanner = new Scanner(text, options.maxDepth ?? MAX_JSON_DEPTH, options.positions ?? true);
  try {
    scanner.parseDocument();
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const at = scanner.positionOf(error.offset);
    return {
      ok: false,
      error: {
        message: error.message,
        nb: error.nb,
        reason: error.reason,
        ...at,
        ...(error.path === undefined ? {} : { path: error.path }),
      },
    };
  }
  // The scanner has proven the text well-formed; JSON.parse builds the value (it handles
  // escapes and keys such as "__proto__" exactly as the rest of the system will).
  const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
  return { ok: true, value, duplicates: scanner.duplicates, positions: scanner.positions };
}

/** The keys that appear more than once in one object, reported at their later occurrences. */
export function findDuplicateKeys(text: string): DuplicateKey[] {
  const result = parseJsonText(text);
  return result.ok ? result.duplicates : [];
}

/** Deeper nesting is no config; refusing it keeps the recursive scanner off the stack limit. */
export const MAX_JSON_DEPTH = 256;
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

class Scanner {
  readonly duplicates: DuplicateKey[] = [];
  readonly positions = new Map<string, TextPosition>();
  private offset: number;
  private readonly lineStarts: number[] = [0];
  /** Keys and indexes from the root to the value being read. */
  private readonly segments: Array<string | number> = [];

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
    private readonly keepPositions: boolean,
  ) {
    this.offset = text.startsWith('\uFEFF') ? 1 : 0;
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  positionOf(offset: number): TextPosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low] + 1 };
  }

  parseDocument(): void {
    this.skipWhitespace();
    if (this.keepPositions) this.positions.set('', this.positionOf(this.offset));
    this.parseValue(0);
    this.skipWhitespace();
    if (this.offset < this.text.length)
      this.fail(
        `unexpected ${this.describe()} after the end of the document`,
        `uventet ${this.describe(true)} etter slutten av dokumentet`,
      );
  }

  /**
   * The pointer of the value being read, built only when asked for (a position kept, a duplicate,
   * an error): building one per value costs time in the depth of every value.
   */
  private path(): string {
    return this.segments.reduce<string>((path, segment) => childPointer(path, segment), '');
  }

  private parseValue(depth: number): void {
    this.skipWhitespace();
    const c = this.text[this.offset];
    // `depth` objects and arrays enclose this value; it would be one more.
    if ((c === '{' || c === '[') && depth >= this.maxDepth)
      this.fail(
        `nested more than ${this.maxDepth} levels deep`,
        `nøstet mer enn ${this.maxDepth} nivåer dypt`,
        'depth',
        this.path(),
      );
    if (c === '{') this.parseObject(depth);
    else if (c === '[') this.parseArray(depth);
    else if (c === '"') this.skipString();
    else if (c === '-' || (c >= '0' && c <= '9')) this.parseNumber();
    else if (!this.literal('true') && !this.literal('false') && !this.literal('null')) {
      this.fail(
        `expected a value but found ${this.describe()}`,
        `forventet en verdi, men fant ${this.describe(true)}`,
      );
    }
  }

  private parseObject(depth: number): void {
    this.offset++;
    /** Key → offset of its first occurrence. */
    const seen = new Map<string, number>();
    this.skipWhitespace();
    if (this.text[this.offset] === '}') {
      this.offset++;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.offset] !== '"')
        this.fail(
          `expected a property name in double quotes but found ${this.describe()}`,
          `forventet et navn i doble anførselstegn, men fant ${this.describe(true)}`,
        );
      const keyOffset = this.offset;
      const key = this.parseString();
      this.segments.push(key);
      const first = seen.get(key);
      if (first !== undefined) {
        this.duplicates.push({
          path: this.path(),
          key,
          first: this.positionOf(first),
          ...this.positionOf(keyOffset),
        });
      } else {
        seen.set(key, keyOffset);
        if (this.keepPositions) this.positions.set(this.path(), this.positionOf(keyOffset));
      }
      this.skipWhitespace();
      if (this.text[this.offset] !== ':')
        this.fail(
          `expected ":" after property name "${key}" but found ${this.describe()}`,
          `forventet ":" etter navnet «${key}», men fant ${this.describe(true)}`,
        );
      this.offset++;
      this.parseValue(depth + 1);
      this.segments.pop();
      if (this.endOfMember('}')) return;
    }
  }

  /** After a member or element: past its comma (false), or past the closing bracket (true). */
  private endOfMember(close: '}' | ']'): boolean {
    this.skipWhitespace();
    const next = this.text[this.offset];
    if (next === close) {
      this.offset++;
      return true;
    }
    if (next !== ',')
      this.fail(
        `expected "," or "${close}" but found ${this.describe()}`,
        `forventet "," eller "${close}", men fant ${this.describe(true)}`,
      );
    this.offset++;
    this.skipWhitespace();
    if (this.text[this.offset] === close)
      this.fail(`trailing comma before "${close}"`, `overflødig komma foran "${close}"`);
    return false;
  }

  private parseArray(depth: number): void {
    this.offset++;
    this.skipWhitespace();
    if (this.text[this.offset] === ']') {
      this.offset++;
      return;
    }
    for (let index = 0; ; index++) {
      this.skipWhitespace();
      this.segments.push(index);
      if (this.keepPositions) this.positions.set(this.path(), this.positionOf(this.offset));
      this.parseValue(depth + 1);
      this.segments.pop();
      if (this.endOfMember(']')) return;
    }
  }

  private parseString(): string {
    const start = this.offset;
    this.skipString();
    return JSON.parse(this.text.slice(start, this.offset)) as string;
  }

  /** Past a valid string; a value's string is not decoded (only keys are needed). */
  private skipString(): void {
    STRING_BODY.lastIndex = this.offset + 1;
    if (!STRING_BODY.test(this.text)) this.failInString(this.offset + 1);
    this.offset = STRING_BODY.lastIndex;
  }

  /** Points at the character that makes a string invalid rather than at its opening quote. */
  private failInString(from: number): never {
    for (let i = from; i < this.text.length; i++) {
      const ch = this.text[i];
      this.offset = i;
      if (ch < ' ')
        this.fail(
          'control character (such as a line break) inside a string',
          'kontrolltegn (for eksempel linjeskift) inne i en tekst',
        );
      if (ch === '\\') {
        const escape = /^(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/.exec(this.text.slice(i + 1, i + 6));
        if (!escape)
          this.fail('invalid escape sequence in string', 'ugyldig \\-sekvens i en tekst');
        i += escape[0].length;
      }
    }
    this.offset = this.text.length;
    this.fail('unterminated string', 'teksten mangler avsluttende anførselstegn');
  }

  private parseNumber(): void {
    NUMBER.lastIndex = this.offset;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail('invalid number', 'ugyldig tall');
    this.offset = NUMBER.lastIndex;
  }

  private literal(word: string): boolean {
    if (!this.text.startsWith(word, this.offset)) return false;
    this.offset += word.length;
    return true;
  }

  private skipWhitespace(): void {
    while (this.offset < this.text.length && WHITESPACE.has(this.text[this.offset])) this.offset++;
  }

  private describe(nb = false): string {
    if (this.offset >= this.text.length) return nb ? 'slutten av filen' : 'the end of the file';
    return JSON.stringify(this.text[this.offset]);
  }

  private fail(
    message: string,
    nb: string,
    reason: 'syntax' | 'depth' = 'syntax',
    path?: string,
  ): never {
    throw new JsonSyntaxError(message, nb, this.offset, reason, path);
  }
}

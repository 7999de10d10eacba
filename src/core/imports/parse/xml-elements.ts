/**
 * A small tokenizer for the two big, regular parts of a workbook (the sheet and its shared strings):
 * it cuts the text into whole `<row>`/`<si>` elements as they stream in, and reads their few
 * attributes and texts with plain string search. Measured several times faster than a general SAX
 * parser on these parts; saxes still reads the small, irregular ones (workbook, relationships,
 * styles). Namespace prefixes (`<x:row>`) are accepted as SheetJS accepts them.
 */
import type { PartText } from './zip-part-stream';

export class ElementReader {
  private buf = '';
  private pos = 0;
  private ended = false;
  private readonly open: RegExp;
  private readonly close: RegExp;

  constructor(
    private readonly part: PartText,
    tag: string,
    /** Characters one unfinished element may grow to before the part is refused. */
    private readonly maxElementChars: number,
    private readonly tooBig: () => never,
  ) {
    this.open = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${tag}(?=[\\s/>])`, 'g');
    this.close = new RegExp(`</(?:[A-Za-z_][\\w.-]*:)?${tag}\\s*>`, 'g');
  }

  /** The next whole element's text (from `<` to its closing `>`), or null at the end of the part. */
  next(): string | null {
    for (;;) {
      this.open.lastIndex = this.pos;
      const m = this.open.exec(this.buf);
      if (m) {
        const start = m.index;
        const gt = this.buf.indexOf('>', start);
        if (gt >= 0) {
          if (this.buf.charCodeAt(gt - 1) === 47 /* / */) {
            this.pos = gt + 1;
            return this.buf.slice(start, gt + 1);
          }
          this.close.lastIndex = gt + 1;
          const c = this.close.exec(this.buf);
          if (c) {
            this.pos = c.index + c[0].length;
            return this.buf.slice(start, this.pos);
          }
        }
        if (this.buf.length - start > this.maxElementChars) this.tooBig();
        if (!this.more(start)) return null;
      } else if (!this.more(Math.max(this.pos, this.buf.length - 64))) return null;
    }
  }

  /** Drops what was read before `keep` and appends the next piece; false at the end. */
  private more(keep: number): boolean {
    if (this.ended) return false;
    const s = this.part.pull();
    if (s === null) {
      this.ended = true;
      return false;
    }
    this.buf = this.buf.slice(keep) + s;
    this.pos = 0;
    return true;
  }
}

/** The value of attribute `name` in a start tag's text, unescaped; undefined when absent. */
export function attr(tag: string, name: string): string | undefined {
  return attrs(tag)[name];
}

const ATTR = /\s([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** All attributes of a start tag's text, prefixes dropped (`r:id` is `id`), values unescaped. */
export function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  ATTR.lastIndex = 0;
  for (let m = ATTR.exec(tag); m; m = ATTR.exec(tag)) {
    const colon = m[1]!.indexOf(':');
    const name = colon >= 0 && !m[1]!.startsWith('xmlns') ? m[1]!.slice(colon + 1) : m[1]!;
    out[name] = unescapeXml(m[2] ?? m[3] ?? '');
  }
  return out;
}

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function unescapeXml(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(ENTITY, (_all, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name) return NAMED[name]!;
    const code = hex ? parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/**
 * Excel writes characters XML cannot hold as _xHHHH_ (a carriage return as _x000D_); a line break
 * read back is "\n", as SheetJS reads it.
 */
export function unescapeOoxml(s: string): string {
  const out = s.indexOf('_x') < 0 ? s : s.replace(/_x([0-9a-fA-F]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return out.indexOf('\r\n') < 0 ? out : out.replace(/\r\n/g, '\n');
}

const PHONETIC = /<(?:[\w.-]+:)?rPh[\s>][\s\S]*?<\/(?:[\w.-]+:)?rPh>/g;
const TEXT = /<(?:[\w.-]+:)?t(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?t>)/g;

/** The text of a string item (`<si>` or `<is>`): its `<t>`, or its rich-text runs joined; phonetic guides left out. */
export function stringItemText(inner: string): string {
  const body = inner.indexOf('rPh') >= 0 ? inner.replace(PHONETIC, '') : inner;
  let out = '';
  TEXT.lastIndex = 0;
  for (let m = TEXT.exec(body); m; m = TEXT.exec(body)) if (m[1]) out += m[1];
  return unescapeOoxml(unescapeXml(out));
}

/**
 * HTML for Pipedrive notes: a safe subset kept (p, br, b, i, u, ul, ol, li, a with an http(s)/mailto
 * href), scripts and styles removed with their content, attributes (handlers, styles) dropped, harmless
 * layout tags unwrapped, and everything else escaped. Idempotent: sanitize(sanitize(x)) = sanitize(x).
 */

const ALLOWED = new Set(['p', 'br', 'b', 'i', 'u', 'ul', 'ol', 'li', 'a']);
const RENAMED: Readonly<Record<string, string>> = { strong: 'b', em: 'i' };
/** Layout tags whose text is kept but whose markup is dropped. */
const UNWRAP = new Set([
  'div',
  'span',
  'font',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'td',
  'th',
  'blockquote',
  'pre',
  'code',
  'center',
  'section',
  'article',
  'header',
  'footer',
  'small',
  'big',
  'sub',
  'sup',
  'hr',
  'img',
  'html',
  'body',
  'head',
  'meta',
  'link',
  'title',
  'o',
  'st1',
  'label',
  'form',
  'input',
  'button',
  'nav',
  'main',
  'aside',
  'figure',
  'figcaption',
  'caption',
  'colgroup',
  'col',
  'abbr',
  'cite',
  'mark',
  's',
  'strike',
  'del',
  'ins',
  'tt',
  'kbd',
  'samp',
  'var',
  'dl',
  'dt',
  'dd',
]);
/** Elements removed together with their content. */
const DROP_WITH_CONTENT = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'noscript',
  'template',
  'svg',
  'math',
  'textarea',
  'select',
  'frame',
  'frameset',
  'applet',
]);

const TAG = /^<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/;
const ENTITY = /^&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});/;

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  bull: '•',
  copy: '©',
  reg: '®',
  trade: '™',
  middot: '·',
};

/** Decodes the entities Ferry knows (numeric and common named ones); unknown ones stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(
    /&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/g,
    (whole, body: string) => {
      if (body.startsWith('#')) {
        const code =
          body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
        return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
          ? String.fromCodePoint(code)
          : whole;
      }
      return NAMED[body.toLowerCase()] ?? whole;
    },
  );
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function safeHref(attributes: string): string | undefined {
  const match = /(?:^|\s)href\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(attributes);
  if (!match) return undefined;
  const raw = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '').trim();
  const compact = raw.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  return /^(https?:\/\/|mailto:)/i.test(compact) ? raw : undefined;
}

/**
 * @example sanitizeHtml('Called adj.<br>&nbsp;Left VM<script>x()</script>') // 'Called adj.<br>&nbsp;Left VM'
 * @example sanitizeHtml('<a href="javascript:alert(1)" onclick="x">hi</a>') // '<a>hi</a>'
 */
export function sanitizeHtml(input: string): string {
  let out = '';
  let i = 0;
  const text = input ?? '';
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '<') {
      const rest = text.slice(i);
      if (rest.startsWith('<!--')) {
        const end = text.indexOf('-->', i + 4);
        i = end < 0 ? text.length : end + 3;
        continue;
      }
      const tag = TAG.exec(rest);
      if (tag) {
        const closing = tag[1] === '/';
        const name = tag[2]!.toLowerCase().split(':')[0]!;
        i += tag[0].length;
        if (DROP_WITH_CONTENT.has(name)) {
          if (!closing) {
            const close = new RegExp(`</${name}\\s*>`, 'i').exec(text.slice(i));
            i = close ? i + close.index + close[0].length : text.length;
          }
          continue;
        }
        const canonical = RENAMED[name] ?? name;
        if (ALLOWED.has(canonical)) {
          if (canonical === 'br') out += '<br>';
          else if (closing) out += `</${canonical}>`;
          else if (canonical === 'a') {
            const href = safeHref(tag[3] ?? '');
            out += href === undefined ? '<a>' : `<a href="${escapeHtml(href)}">`;
          } else out += `<${canonical}>`;
          continue;
        }
        if (UNWRAP.has(name)) continue;
        // Unknown markup, e.g. `<John Smith>` typed in a note: shown as text.
        out += escapeHtml(tag[0]);
        continue;
      }
      out += '&lt;';
      i += 1;
      continue;
    }
    if (ch === '&') {
      const entity = ENTITY.exec(text.slice(i, i + 40));
      if (entity) {
        out += entity[0];
        i += entity[0].length;
      } else {
        out += '&amp;';
        i += 1;
      }
      continue;
    }
    out += ch === '>' ? '&gt;' : ch;
    i += 1;
  }
  return out;
}

/**
 * HTML → plain text: line breaks for br/p/li/div, entities decoded, tags and scripts removed.
 * @example htmlToText('Called adj.<br>&nbsp;Left VM') // 'Called adj.\nLeft VM'
 */
export function htmlToText(input: string): string {
  const withoutDropped = (input ?? '')
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(
      /<(script|style|iframe|object|embed|noscript|template|svg|math|textarea)\b[\s\S]*?(<\/\1\s*>|$)/gi,
      '',
    );
  const marked = withoutDropped
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6]|ul|ol|table|blockquote)\s*>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '- ')
    .replace(/<\/?[a-zA-Z][^>]*>/g, '');
  return decodeEntities(marked)
    .replace(/\u00a0/g, ' ')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Plain text (with newlines) → safe HTML for a note; text that already holds tags is sanitized instead. */
export function noteHtml(input: string): string {
  if (/<\/?[a-zA-Z][^>]*>|&[a-zA-Z#][a-zA-Z0-9]*;/.test(input)) return sanitizeHtml(input);
  return escapeHtml(input.trim()).replace(/\r\n?|\n/g, '<br>');
}

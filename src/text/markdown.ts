/**
 * Escaping for text that comes from policies (names, labels, values) and lands in Markdown that
 * GitHub renders: a pull-request comment, the job summary, rendered/firewall-rules.md. Such text
 * must not break a table, open HTML, start a link or an image, or mention a user or team.
 */

const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~&:@]/g;

/**
 * Text for a Markdown paragraph or table cell. Every Markdown punctuation character is
 * backslash-escaped; `<` `>` `&` become entities (no HTML); `@` becomes `@` followed by a zero-width
 * joiner-free entity so GitHub cannot turn `@team` into a mention; newlines become spaces.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r\n|\r|\n/g, ' ').replace(MARKDOWN_SPECIAL, (ch) => {
    switch (ch) {
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '&':
        return '&amp;';
      case '@':
        // An entity is rendered as '@' but never parsed as a mention.
        return '&#64;';
      case ':':
        // Keeps `javascript:` and emoji shortcodes (`:x:`) inert; renders as ':'.
        return '&#58;';
      default:
        return `\\${ch}`;
    }
  });
}

/**
 * Text inside an inline code span. Backticks cannot be escaped inside a span, so the fence is made
 * longer than any run of backticks in the text (CommonMark 6.1); `|` is escaped for tables
 * (GitHub's table parser splits cells before code spans are parsed).
 */
export function codeSpan(text: string, inTable = true): string {
  let body = text.replace(/\r\n|\r|\n/g, ' ');
  if (inTable) body = body.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || body === '' ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A Markdown table; every cell must already be escaped. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

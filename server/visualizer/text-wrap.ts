/**
 * Word wrapping by drawn width. The server sizes nodes and labels from these lines and the
 * browser draws the same lines, so the layout and the drawing agree; widths come from the
 * font's own character widths (`text-metrics.ts`), not from a character count, which let
 * titles of wide letters run out of their boxes.
 */

/**
 * Wraps `text` into lines no wider than `maxWidth` by `width` (a word wider than a line is cut
 * with a hyphen), at most `maxLines`; what does not fit ends the last line with "…".
 */
export function wrapText(
  text: string,
  maxWidth: number,
  width: (s: string) => number,
  maxLines = 3,
): string[] {
  const fits = (s: string) => width(s) <= maxWidth;
  /** The longest start of `s` that fits with `tail` after it (at least one character). */
  const cut = (s: string, tail: string) => {
    let n = s.length - 1;
    while (n > 1 && !fits(s.slice(0, n) + tail)) n--;
    return s.slice(0, n);
  };
  const lines: string[] = [];
  let line = '';
  for (const raw of text.split(/\s+/).filter(Boolean)) {
    let word = raw;
    while (!fits(word)) {
      if (line) lines.push(line);
      const head = cut(word, '-');
      lines.push(head + '-');
      word = word.slice(head.length);
      line = '';
    }
    if (!line) line = word;
    else if (fits(`${line} ${word}`)) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1];
  kept[maxLines - 1] = (fits(`${last}…`) ? last : cut(last, '…')) + '…';
  return kept;
}

/**
 * Word wrapping by character count. The server sizes nodes and labels from these lines and the
 * browser draws the same lines, so the layout and the drawing agree without measuring fonts.
 */

/** Wraps `text` into lines of at most `width` characters (longer words are cut), at most `maxLines`. */
export function wrapText(text: string, width: number, maxLines = 3): string[] {
  const lines: string[] = [];
  let line = '';
  for (const raw of text.split(/\s+/).filter(Boolean)) {
    let word = raw;
    while (word.length > width) {
      if (line) lines.push(line);
      lines.push(word.slice(0, width - 1) + '-');
      word = word.slice(width - 1);
      line = '';
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ' ' + word;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = kept[maxLines - 1].slice(0, width - 1) + '…';
  return kept;
}

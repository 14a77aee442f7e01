import type { Delimiters } from './delimiters.ts';

/**
 * HL7 escape sequences (v2 §2.7): \F\ \S\ \T\ \R\ \E\ stand for the delimiters, \Xhh…\ for
 * bytes, \.br\ for a line break. Formatting sequences a text viewer would interpret (\H\ \N\,
 * \.sp\ …) are kept as they are: dropping them would lose the sender's intent.
 */
export function unescapeHl7(text: string, delimiters: Delimiters): string {
  const escape = delimiters.escape;
  if (!text.includes(escape)) return text;
  let out = '';
  let index = 0;
  while (index < text.length) {
    const start = text.indexOf(escape, index);
    const end = start < 0 ? -1 : text.indexOf(escape, start + 1);
    if (start < 0 || end < 0) {
      out += text.slice(index);
      break;
    }
    out += text.slice(index, start) + decodeSequence(text.slice(start + 1, end), delimiters);
    index = end + 1;
  }
  return out;
}

function decodeSequence(code: string, delimiters: Delimiters): string {
  switch (code) {
    case 'F':
      return delimiters.field;
    case 'S':
      return delimiters.component;
    case 'T':
      return delimiters.subcomponent;
    case 'R':
      return delimiters.repetition;
    case 'E':
      return delimiters.escape;
    case 'P':
      return delimiters.truncation ?? `${delimiters.escape}P${delimiters.escape}`;
    case '.br':
      return '\n';
  }
  if (/^X([0-9A-Fa-f]{2})+$/.test(code)) return Buffer.from(code.slice(1), 'hex').toString('latin1');
  return `${delimiters.escape}${code}${delimiters.escape}`;
}

/** Escapes text for a field value: the inverse of `unescapeHl7` for the delimiter characters. */
export function escapeHl7(text: string, delimiters: Delimiters): string {
  const map: Record<string, string> = {
    [delimiters.escape]: 'E',
    [delimiters.field]: 'F',
    [delimiters.component]: 'S',
    [delimiters.subcomponent]: 'T',
    [delimiters.repetition]: 'R',
    ...(delimiters.truncation ? { [delimiters.truncation]: 'P' } : {}),
  };
  let out = '';
  for (const char of text) {
    const code = map[char];
    if (code) out += `${delimiters.escape}${code}${delimiters.escape}`;
    else if (char === '\r' || char === '\n') out += `${delimiters.escape}.br${delimiters.escape}`;
    else out += char;
  }
  return out;
}

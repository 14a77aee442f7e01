// A UCUM unit (https://ucum.org/ucum) as people read it beside a value. Display only: the
// Quantity keeps the `unit` and `code` it was received with.

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '-': '⁻',
};
const superscript = (digits: string) => [...digits].map((c) => SUPERSCRIPT[c] ?? c).join('');

/**
 * `m[IU]/L` → "mIU/L", `mm[Hg]` → "mmHg" (square brackets mark UCUM's special units),
 * `mL/min/{1.73_m2}` → "mL/min/1.73 m²" (curly braces are annotations), `10*3/uL` → "10³/µL"
 * (UCUM writes powers of ten with `*` and micro as `u`), `{score}` → "score"; no unit → "".
 */
export function plainUnit(unit: string | undefined): string {
  return (unit ?? '')
    .replace(/\[([^\]]+)\]/g, '$1')
    .replace(/\{([^}]*)\}/g, (_, annotation: string) => annotation.replace(/_/g, ' '))
    .replace(/10[*^](-?\d+)/g, (_, power: string) => `10${superscript(power)}`)
    .replace(/(^|\/)u(?=[gLlmsU])/g, '$1µ')
    .replace(/([A-Za-z])([23])\b/g, (_, letter: string, power: string) => `${letter}${superscript(power)}`);
}

import { createHash } from 'node:crypto';

/**
 * A UUID-shaped id derived from `name` (RFC 4122 version-5 layout over SHA-1), so the same
 * fullUrl or the same content gets the same id on every import: that is what makes a second
 * import of the same file write nothing new.
 */
export function stableId(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex').slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

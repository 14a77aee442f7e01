/** `throughline start` (placeholder until implemented). */
export async function startCommand(_args: string[]): Promise<number> {
  console.error('start: not implemented yet');
  return 1;
}

/** `throughline seed` (placeholder until implemented). */
export async function seedCommand(_args: string[]): Promise<number> {
  console.error('seed: not implemented yet');
  return 1;
}

import { readActiveModel, type SqlExecutor } from '../../store/index.ts';
import { parseParameters } from '../engine/train/match-parameters.ts';
import type { MatchEngine } from '../service/match-engine.ts';
import { createModelEngine } from './model-engine.ts';

/**
 * The engine for a starting service: the active model version, or the hand-set weights when
 * none was ever activated — or when the stored one cannot be read (another parameters version
 * after a downgrade): matching must keep working, so that is reported, not thrown.
 */
export async function loadModelEngine(
  db: SqlExecutor,
  report: (problem: string) => void = () => undefined,
): Promise<MatchEngine> {
  const active = await readActiveModel(db);
  if (!active) return createModelEngine();
  try {
    return createModelEngine(parseParameters(active.parameters));
  } catch (error) {
    report(
      `identity model version ${active.version} unreadable, using hand-set weights: ${(error as Error).message}`,
    );
    return createModelEngine();
  }
}

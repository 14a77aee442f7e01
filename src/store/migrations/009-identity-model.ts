/**
 * Identity: every trained version of the match model. Parameters are the engine's versioned
 * JSON (`MatchParameters`); at most one version is active — the one the service scores with.
 * A version refused by the plausibility check is kept (inactive) with its reasons, so a person
 * can see why the service still uses the previous one.
 */
export const sql = `
CREATE TABLE identity_model (
  version serial PRIMARY KEY,
  parameters text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  trained_on text NOT NULL,
  active boolean NOT NULL DEFAULT false,
  refused_because jsonb NOT NULL DEFAULT '[]'
);
CREATE UNIQUE INDEX identity_model_one_active_idx ON identity_model (active) WHERE active;
`;

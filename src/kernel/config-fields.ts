/** Parsers of configuration fields, shared by the parts of the one schema (`config.ts`). */

export interface FieldSpec<T> {
  env: string;
  parse: (raw: string | undefined) => T;
}

/** An integer setting: its default, and the range it must lie in. */
export interface IntegerSpec {
  fallback: number;
  min: number;
  max: number;
}

export function integer(name: string, spec: IntegerSpec): (raw: string | undefined) => number {
  const { fallback, min, max } = spec;
  return (raw) => {
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
    }
    return value;
  };
}

/** An integer field read from `env`, in its range (the env name is said once). */
export function integerField(env: string, spec: IntegerSpec): FieldSpec<number> {
  return { env, parse: integer(env, spec) };
}

/** A setting that may be absent. */
export function optionalField(env: string): FieldSpec<string | undefined> {
  return { env, parse: optional };
}

export function optional(raw: string | undefined): string | undefined {
  return raw === undefined || raw === '' ? undefined : raw;
}

export function httpUrl(name: string): (raw: string | undefined) => string | undefined {
  return (raw) => {
    const value = optional(raw);
    if (value !== undefined && !/^https?:\/\/\S+$/.test(value)) {
      throw new Error(`${name} must be an http:// or https:// URL, got "${value}"`);
    }
    return value;
  };
}

export function onOff(name: string, fallback: boolean): (raw: string | undefined) => boolean {
  return (raw) => {
    const value = optional(raw);
    if (value === undefined) return fallback;
    if (value !== 'on' && value !== 'off') throw new Error(`${name} must be on or off, got "${value}"`);
    return value === 'on';
  };
}

/** An IANA time zone name the runtime knows (`Europe/Berlin`); Intl refuses unknown ones. */
export function timeZone(name: string): (raw: string | undefined) => string {
  return (raw) => {
    const value = optional(raw) ?? 'UTC';
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
    } catch {
      throw new Error(`${name} must be an IANA time zone such as Europe/Berlin, got "${value}"`);
    }
    return value;
  };
}

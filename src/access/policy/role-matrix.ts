import { readFileSync } from 'node:fs';
import type { Interaction } from '../scopes.ts';

export type Decision = 'allow' | 'deny' | 'mask';
export type Relation = 'own' | 'any';

export interface RoleDefinition {
  display: string;
  /** `own`: only the patient the caller acts for; `any`: any patient. */
  relation: Relation;
  /** Sensitivity label codes the role may see. */
  labels: string[];
  /** Group name (or `*`) → SMART letters (`cruds`, `rs`, …). */
  rules: Record<string, string>;
  /** Per-type overrides of the group rule. */
  types?: Record<string, string>;
  /** Elements removed from what the role reads, per type. */
  masks?: Record<string, string[]>;
  /** May open one patient's record beyond labels and consent, time-limited, with a reason. */
  breakGlass?: boolean;
  /** Elements the role may not set or change, per type (`*`: every type), e.g. `Patient.link`. */
  writeProtected?: Record<string, string[]>;
  /**
   * Elements that say who wrote the resource, per type (`Communication.sender`): a one-patient
   * caller may leave them out or name the patient she acts for, never a clinician.
   */
  authorElements?: Record<string, string[]>;
  /** Platform operations the role may perform (keys of the matrix's `operations`). */
  operations?: string[];
}

export interface RoleMatrix {
  version: number;
  sensitiveLabels: { system: string; code: string; display: string }[];
  groups: Record<string, string[]>;
  /** Operation name → what it allows: what is not about one FHIR resource. */
  operations: Record<string, string>;
  roles: Record<string, RoleDefinition>;
}

/** The matrix that ships with Throughline (`role-matrix.json`), read once. */
let shipped: RoleMatrix | undefined;
export function loadRoleMatrix(): RoleMatrix {
  shipped ??= JSON.parse(readFileSync(new URL('./role-matrix.json', import.meta.url), 'utf8')) as RoleMatrix;
  return shipped;
}

/** The letters a role has on a type: the type's override, else its group's rule, else `*`'s. */
export function lettersFor(matrix: RoleMatrix, role: string, resourceType: string): string {
  const definition = matrix.roles[role];
  if (!definition) return '';
  const override = definition.types?.[resourceType];
  if (override !== undefined) return override;
  const group = Object.entries(matrix.groups).find(([, types]) => types.includes(resourceType))?.[0];
  return (group ? definition.rules[group] : undefined) ?? definition.rules['*'] ?? '';
}

/** What a cell of the matrix is about: an interaction on a type, for a patient with a relation. */
export interface Cell {
  resourceType: string;
  interaction: Interaction;
  /** The patient's relation to the caller. */
  relation: Relation;
  /** Whether the type belongs to a patient at all (directory data has no relation). */
  patientData: boolean;
}

/**
 * One cell of the matrix: may `role` do `interaction` on `resourceType` for a patient with
 * this relation to the caller? `patientData` says whether the type belongs to a patient at all
 * (directory data has no relation).
 */
export function decideCell(matrix: RoleMatrix, role: string, cell: Cell): Decision {
  const { resourceType, interaction, relation, patientData } = cell;
  const definition = matrix.roles[role];
  if (!definition) return 'deny';
  if (patientData && definition.relation === 'own' && relation !== 'own') return 'deny';
  if (!lettersFor(matrix, role, resourceType).includes(interaction)) return 'deny';
  const masked = (interaction === 'r' || interaction === 's') && definition.masks?.[resourceType]?.length;
  return masked ? 'mask' : 'allow';
}

/** Several roles: the most permissive decision wins (allow over mask over deny). */
export function decide(matrix: RoleMatrix, roles: string[], cell: Cell): Decision {
  const decisions = roles.map((role) => decideCell(matrix, role, cell));
  if (decisions.includes('allow')) return 'allow';
  return decisions.includes('mask') ? 'mask' : 'deny';
}

/** The elements to remove when every role that may read the type masks it (the union of their masks). */
export function maskedElements(matrix: RoleMatrix, roles: string[], resourceType: string): string[] {
  return [...new Set(roles.flatMap((role) => matrix.roles[role]?.masks?.[resourceType] ?? []))];
}

export function grantedLabels(matrix: RoleMatrix, roles: string[]): Set<string> {
  return new Set(roles.flatMap((role) => matrix.roles[role]?.labels ?? []));
}

/** Whether every role of the caller is limited to the patient they act for. */
export function actsForOnePatient(matrix: RoleMatrix, roles: string[]): boolean {
  const known = roles.filter((role) => matrix.roles[role]);
  return known.length > 0 && known.every((role) => matrix.roles[role]?.relation === 'own');
}

/**
 * The elements the caller may not set or change on this type: those every role of theirs
 * protects (like the other cells, the most permissive role wins).
 */
/** Author elements any of the caller's roles names for this type (the union: each is checked). */
export function authorElementsOf(matrix: RoleMatrix, roles: string[], resourceType: string): string[] {
  const named = roles.flatMap((role) => matrix.roles[role]?.authorElements?.[resourceType] ?? []);
  return [...new Set(named)];
}

export function writeProtectedElements(matrix: RoleMatrix, roles: string[], resourceType: string): string[] {
  const known = roles.filter((role) => matrix.roles[role]);
  const perRole = known.map((role) => {
    const rules = matrix.roles[role]?.writeProtected ?? {};
    return new Set([...(rules['*'] ?? []), ...(rules[resourceType] ?? [])]);
  });
  const [first, ...rest] = perRole;
  return first ? [...first].filter((element) => rest.every((set) => set.has(element))) : [];
}

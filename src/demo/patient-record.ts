import type { ContactPoint, Patient } from '@medplum/fhirtypes';
import { emit, ref, type ClinicContext, type Stored } from './clinic-context.ts';
import { sources, type SourceKey } from './clinic-directory.ts';
import type { Person } from './people.ts';
import { coding, systems } from './vocabulary/terminology.ts';

/** MRNs grow with generation order, like a real EHR's sequence, so they are unique per source. */
function nextMrn(ctx: ClinicContext, source: SourceKey): string {
  return `${sources[source].prefix}${String(100_000 + ctx.resources.length)}`;
}

/** The preferred channel's contact point gets `rank: 1`: FHIR's own way to say "use this first". */
function telecom(person: Person, source: SourceKey): ContactPoint[] {
  const points: ContactPoint[] = [
    { system: 'phone', value: person.phone, use: 'mobile', rank: person.channel === 'email' ? 2 : 1 },
  ];
  if (person.email && source !== 'lab')
    points.push({
      system: 'email',
      value: person.email,
      use: 'home',
      rank: person.channel === 'email' ? 1 : 2,
    });
  return points;
}

/** One source system's Patient record of a person (the lab keeps less: no email, no language). */
export function patientRecord(ctx: ClinicContext, person: Person, source: SourceKey): Stored<Patient> {
  const given = person.middle ? [person.given, person.middle] : [person.given];
  return emit<Patient>(ctx, {
    resourceType: 'Patient',
    meta: { source: `${sources[source].system.replace(/\/fhir\/sid\/.*$/, '')}` },
    identifier: [
      {
        use: 'usual',
        type: { coding: [coding(systems.v20203, 'MR', 'Medical record number')] },
        system: sources[source].system,
        value: nextMrn(ctx, source),
        assigner: { display: sources[source].name },
      },
    ],
    active: true,
    name: [{ use: 'official', family: person.family, given }],
    telecom: telecom(person, source),
    gender: person.gender,
    birthDate: person.birthDate,
    address: [person.address],
    communication:
      source === 'lab'
        ? undefined
        : [
            {
              language: { coding: [coding(systems.bcp47, person.language.code, person.language.display)] },
              preferred: true,
            },
          ],
    managingOrganization: ref(ctx.directory.organizations[source]),
  });
}

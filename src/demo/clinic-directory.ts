import type { Location, Organization, Practitioner, Questionnaire } from '@medplum/fhirtypes';
import { concept, systems } from './vocabulary/terminology.ts';
import { emit, type ClinicContext, type Stored } from './clinic-context.ts';

/**
 * The systems Maya's story spans, each with its own patient identifier system: the GP's EHR,
 * the lab's portal and the hospital. A second record of the same person in another source is
 * what the MPI must link.
 */
export const sources = {
  gp: {
    system: 'https://riverside-family.example.org/fhir/sid/mrn',
    prefix: 'RFP',
    name: 'Riverside Family Practice',
  },
  lab: {
    system: 'https://northgate-lab.example.org/fhir/sid/patient-id',
    prefix: 'NGL',
    name: 'Northgate Diagnostics',
  },
  hospital: {
    system: 'https://st-brigid.example.org/fhir/sid/mrn',
    prefix: 'SBH',
    name: "St Brigid's Hospital",
  },
} as const;

export type SourceKey = keyof typeof sources;

export interface ClinicDirectory {
  organizations: Record<SourceKey | 'specialist', Stored<Organization>>;
  insurers: Stored<Organization>[];
  locations: { gp: Stored<Location>; lab: Stored<Location>; specialist: Stored<Location> };
  gps: Stored<Practitioner>[];
  nurse: Stored<Practitioner>;
  /** Specialists by SNOMED practice-setting code (Endocrinology 394583002, …). */
  specialists: Record<string, Stored<Practitioner>>;
  intakeForm: Stored<Questionnaire>;
}

/** A provider or payer organization as the directory lists it. */
interface OrganizationEntry {
  name: string;
  /** organization-type code: a healthcare provider or a payer. */
  type: 'prov' | 'pay';
  /** The work phone number. */
  phone: string;
}

function organization(ctx: ClinicContext, { name, type, phone }: OrganizationEntry): Stored<Organization> {
  const display = type === 'prov' ? 'Healthcare Provider' : 'Payer';
  return emit(ctx, {
    resourceType: 'Organization',
    active: true,
    type: [concept(systems.organizationType, type, display)],
    name,
    telecom: [{ system: 'phone', value: phone, use: 'work' }],
    address: [{ line: ['1 Health Plaza'], city: 'Riverton', postalCode: '97400', country: 'US' }],
  });
}

function location(ctx: ClinicContext, name: string, org: Stored<Organization>): Stored<Location> {
  return emit(ctx, {
    resourceType: 'Location',
    status: 'active',
    name,
    mode: 'instance',
    managingOrganization: { reference: `Organization/${org.id}`, display: org.name },
  });
}

/** A clinician as the directory lists them. */
interface PractitionerEntry {
  given: string;
  family: string;
  /** `MD` (addressed as Dr.) or `RN`. */
  qualification: string;
}

function practitioner(
  ctx: ClinicContext,
  { given, family, qualification }: PractitionerEntry,
): Stored<Practitioner> {
  return emit(ctx, {
    resourceType: 'Practitioner',
    active: true,
    identifier: [
      {
        system: 'http://hl7.org/fhir/sid/us-npi',
        value: String(ctx.random.int(1_000_000_000, 1_999_999_999)),
      },
    ],
    name: [{ family, given: [given], prefix: qualification === 'MD' ? ['Dr.'] : undefined }],
    qualification: [{ code: { text: qualification } }],
  });
}

const specialistNames: [string, string, string][] = [
  ['394583002', 'Helen', 'Okonjo'],
  ['394579002', 'Marcus', 'Feld'],
  ['418112009', 'Ana', 'Ribeiro'],
  ['394589003', 'Tomasz', 'Zielinski'],
];

/** One organization per source of Maya's story, and the specialist centre the GP refers to. */
function providerOrganizations(ctx: ClinicContext): ClinicDirectory['organizations'] {
  return {
    gp: organization(ctx, { name: sources.gp.name, type: 'prov', phone: '+1-541-555-0100' }),
    lab: organization(ctx, { name: sources.lab.name, type: 'prov', phone: '+1-541-555-0140' }),
    hospital: organization(ctx, { name: sources.hospital.name, type: 'prov', phone: '+1-541-555-0170' }),
    specialist: organization(ctx, {
      name: 'Lakeside Specialist Centre',
      type: 'prov',
      phone: '+1-541-555-0190',
    }),
  };
}

/** The GPs, the practice nurse and one specialist per practice setting. */
function clinicians(ctx: ClinicContext): Pick<ClinicDirectory, 'gps' | 'nurse' | 'specialists'> {
  const gps = [
    practitioner(ctx, { given: 'Sarah', family: 'Lindqvist', qualification: 'MD' }),
    practitioner(ctx, { given: 'Rahul', family: 'Mehta', qualification: 'MD' }),
    practitioner(ctx, { given: 'Grace', family: 'Adebayo', qualification: 'MD' }),
  ];
  const nurse = practitioner(ctx, { given: 'Tom', family: 'Becker', qualification: 'RN' });
  const specialists = Object.fromEntries(
    specialistNames.map(([code, given, family]) => [
      code,
      practitioner(ctx, { given, family, qualification: 'MD' }),
    ]),
  );
  return { gps, nurse, specialists };
}

export function createClinicDirectory(ctx: ClinicContext): ClinicDirectory {
  const organizations = providerOrganizations(ctx);
  const insurers = ['Northbridge Health Plan', 'Evergreen Mutual', 'State Medicaid'].map((name, i) =>
    organization(ctx, { name, type: 'pay', phone: `+1-800-555-01${20 + i}` }),
  );
  const locations = {
    gp: location(ctx, 'Riverside Family Practice, Main Street', organizations.gp),
    lab: location(ctx, 'Northgate Diagnostics collection centre', organizations.lab),
    specialist: location(ctx, 'Lakeside Specialist Centre, outpatient wing', organizations.specialist),
  };
  return {
    organizations,
    insurers,
    locations,
    ...clinicians(ctx),
    intakeForm: intakeQuestionnaire(ctx),
  };
}

/** The clinic's new-patient intake form; QuestionnaireResponses answer it item by item. */
function intakeQuestionnaire(ctx: ClinicContext): Stored<Questionnaire> {
  return emit(ctx, {
    resourceType: 'Questionnaire',
    url: 'https://riverside-family.example.org/fhir/Questionnaire/intake',
    version: '1',
    name: 'RiversideIntake',
    title: 'New patient intake',
    status: 'active',
    subjectType: ['Patient'],
    item: [
      { linkId: 'reason', text: 'What brings you in today?', type: 'string' },
      { linkId: 'medications', text: 'Which medications do you take?', type: 'text' },
      { linkId: 'smoker', text: 'Do you smoke?', type: 'boolean' },
      {
        linkId: 'channel',
        text: 'How should we contact you?',
        type: 'choice',
        answerOption: ['SMS', 'Email', 'Phone'].map((valueString) => ({ valueString })),
      },
    ],
  });
}

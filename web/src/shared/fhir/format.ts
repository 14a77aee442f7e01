import type { Address, CodeableConcept, Patient } from './types.ts';

export function patientName(patient: Patient | undefined): string {
  const name = patient?.name?.find((n) => n.use === 'official') ?? patient?.name?.[0];
  if (!name) return 'Unnamed patient';
  return name.text ?? [...(name.given ?? []), name.family].filter(Boolean).join(' ');
}

export function telecomOf(patient: Patient | undefined, system: 'phone' | 'email'): string | undefined {
  return [...(patient?.telecom ?? [])]
    .filter((point) => point.system === system)
    .sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))[0]?.value;
}

/** The medical record numbers, with the clinic that assigned each. */
export function mrnsOf(patient: Patient | undefined): { value: string; assigner?: string }[] {
  return (patient?.identifier ?? [])
    .filter(
      (identifier) => identifier.type?.coding?.some((coding) => coding.code === 'MR') && identifier.value,
    )
    .map((identifier) => ({ value: identifier.value!, assigner: identifier.assigner?.display }));
}

export function addressLine(address: Address | undefined): string | undefined {
  if (!address) return undefined;
  return [
    address.line?.join(', '),
    address.city,
    [address.state, address.postalCode].filter(Boolean).join(' '),
  ]
    .filter(Boolean)
    .join(', ');
}

export function ageOf(birthDate: string | undefined, now = new Date()): number | undefined {
  if (!birthDate) return undefined;
  const born = new Date(birthDate);
  let age = now.getFullYear() - born.getFullYear();
  const beforeBirthday =
    now.getMonth() < born.getMonth() ||
    (now.getMonth() === born.getMonth() && now.getDate() < born.getDate());
  if (beforeBirthday) age -= 1;
  return age;
}

export function conceptText(concept: CodeableConcept | undefined): string | undefined {
  return (
    concept?.text ?? concept?.coding?.find((coding) => coding.display)?.display ?? concept?.coding?.[0]?.code
  );
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export function formatDate(value: string | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}

export function formatDateTime(value: string | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return value.length <= 10 ? dateFormat.format(date) : dateTimeFormat.format(date);
}

/** "Source: riverside-family.example.org" rather than the full URL. */
export function sourceName(source: string | undefined): string | undefined {
  if (!source) return undefined;
  try {
    return new URL(source).host;
  } catch {
    return source;
  }
}

export function idOf(reference: string | undefined): string {
  return reference?.split('/')[1] ?? '';
}

import { Alert, Anchor, Button, Card, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { formatDate, patientName, telecomOf } from '../../shared/fhir/format.ts';
import { useExistingMatches, useRegister, type NewPatient } from './use-register.ts';

const EMPTY: NewPatient = { given: '', family: '', birthDate: '', phone: '', email: '' };

function MayExist({ form }: { form: NewPatient }) {
  const matches = useExistingMatches(form);
  const found = matches.data ?? [];
  if (found.length === 0) return null;
  return (
    <Alert color="orange" title="This person may already exist" role="status" data-testid="may-exist">
      <Stack gap={4}>
        {found.map(({ patient, score }) => (
          <Text size="sm" key={patient.id}>
            <Anchor component={Link} href={`/patients/${patient.id}`}>
              {patientName(patient)}
            </Anchor>{' '}
            · born {formatDate(patient.birthDate)} · {telecomOf(patient, 'phone') ?? 'no phone'} · match{' '}
            {Math.round(score * 100)}%
          </Text>
        ))}
        <Text size="xs">Open the record instead of creating a second one, if it is them.</Text>
      </Stack>
    </Alert>
  );
}

/** New patient at the desk, checked against the records already there as it is typed. */
export function RegisterPatient() {
  const [form, setForm] = useState<NewPatient>(EMPTY);
  const [debounced] = useDebouncedValue(form, 400);
  const register = useRegister();
  const [, navigate] = useLocation();
  const field = (name: keyof NewPatient, label: string, type = 'text') => (
    <TextInput
      label={label}
      type={type}
      name={name}
      value={form[name]}
      required={name === 'family' || name === 'given'}
      onChange={(event) => setForm({ ...form, [name]: event.currentTarget.value })}
    />
  );
  return (
    <Card component="section" aria-labelledby="register-title">
      <Title order={2} size="h4" id="register-title" mb="sm">
        Register a new patient
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          register.mutate(form, { onSuccess: (created) => navigate(`/patients/${created.id}`) });
        }}
      >
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            {field('given', 'Given name')}
            {field('family', 'Family name')}
            {field('birthDate', 'Birth date', 'date')}
            {field('phone', 'Mobile phone', 'tel')}
            {field('email', 'Email', 'email')}
          </SimpleGrid>
          <MayExist form={debounced} />
          {register.error && (
            <Alert color="red" role="alert">
              {register.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={register.isPending}>
              Register
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

import { Button, Card, Loader, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import './find-patient.css';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { PatientHitRow } from './PatientHitRow.tsx';
import { RegisterPatient } from './RegisterPatient.tsx';
import { usePatientSearch, useRecordsUnderReview } from './use-patient-search.ts';

/** One box: name (typos tolerated), birth date, phone, MRN or email; results as you type. */
export default function FindPatientPage() {
  const [input, setInput] = useState('');
  const [debounced] = useDebouncedValue(input, 250);
  const search = usePatientSearch(debounced);
  const underReview = useRecordsUnderReview();
  const [registering, setRegistering] = useState(false);
  return (
    <Stack maw={900}>
      <PageHeader
        title="Find a patient"
        description="Search by name, birth date, phone number, MRN or email."
        actions={
          <Button variant={registering ? 'default' : 'light'} onClick={() => setRegistering(!registering)}>
            {registering ? 'Close registration' : 'Register a new patient'}
          </Button>
        }
      />
      {registering && <RegisterPatient />}
      <TextInput
        size="lg"
        value={input}
        onChange={(event) => setInput(event.currentTarget.value)}
        placeholder="e.g. Maya Okafor, 12/04/1988, 541 555 2674, RFP100019"
        aria-label="Search patients"
        leftSection={<IconSearch size={20} aria-hidden />}
        rightSection={search.isFetching ? <Loader size="xs" aria-label="Searching" /> : null}
        autoFocus
        data-testid="patient-search"
      />
      {debounced.trim().length < 2 ? (
        <Text c="dimmed" size="sm">
          Type at least two characters. Misspelled names still find the person.
        </Text>
      ) : (
        <QueryState
          query={search}
          height={220}
          isEmpty={(hits) => hits.length === 0}
          empty="No patient matches. Check the spelling or search by birth date or phone."
        >
          {(hits) => (
            <Card padding={0} aria-label="Search results" component="section">
              <Text size="xs" c="dimmed" px="md" pt="sm" aria-live="polite">
                {hits.length} {hits.length === 1 ? 'patient' : 'patients'}
              </Text>
              {hits.map((hit) => (
                <PatientHitRow
                  key={hit.patient.id}
                  hit={hit}
                  reviewTask={underReview.data?.get(hit.patient.id!)}
                />
              ))}
            </Card>
          )}
        </QueryState>
      )}
    </Stack>
  );
}

import { Fieldset, NativeSelect, Text, TextInput } from '@mantine/core';
import type { CampaignForm } from './campaign-plan.ts';
import type { CohortChoices } from './use-campaigns.ts';

type SetField = (field: keyof CampaignForm, value: string) => void;

/**
 * Who: a FHIR search, a journey (and its stage now), an open care gap — every part filled in
 * narrows the cohort ("diabetics with an open HbA1c gap" is the care gap alone).
 */
export function CohortFields(props: { form: CampaignForm; setField: SetField; choices: CohortChoices }) {
  const { form, setField, choices } = props;
  const journey = choices.journeys.find((each) => each.id === form.journey);
  return (
    <Fieldset legend="Who (every part you fill in narrows the cohort)">
      <NativeSelect
        label="Open care gap"
        value={form.careGap}
        onChange={(e) => setField('careGap', e.currentTarget.value)}
        data={[
          { value: '', label: 'Any (no care gap needed)' },
          ...choices.careGaps.map(({ id, title }) => ({ value: id, label: title })),
        ]}
      />
      <NativeSelect
        label="Journey"
        mt="sm"
        value={form.journey}
        onChange={(e) => {
          setField('journey', e.currentTarget.value);
          setField('stage', '');
        }}
        data={[
          { value: '', label: 'Any journey' },
          ...choices.journeys.map(({ id, title }) => ({ value: id, label: title })),
        ]}
      />
      <NativeSelect
        label="Stage now"
        mt="sm"
        disabled={!journey}
        value={form.stage}
        onChange={(e) => setField('stage', e.currentTarget.value)}
        data={[
          { value: '', label: 'Any stage' },
          ...(journey?.stages ?? []).map(({ code, display }) => ({ value: code, label: display })),
        ]}
      />
      <TextInput
        label="FHIR search"
        mt="sm"
        placeholder="Patient?address-city=Springfield"
        value={form.search}
        onChange={(e) => setField('search', e.currentTarget.value)}
      />
      <Text size="xs" c="dimmed" mt={4}>
        Patients, or any record of a patient (e.g. Appointment?date=ge2026-12-01).
      </Text>
    </Fieldset>
  );
}

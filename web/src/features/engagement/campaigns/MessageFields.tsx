import { Fieldset, NativeSelect, NumberInput, Text, Textarea, TextInput } from '@mantine/core';
import { CHANNEL_LABELS, PURPOSES, type CampaignForm } from './campaign-plan.ts';

type SetField = (field: keyof CampaignForm, value: string | number) => void;

/** What and how fast: name, purpose (consent is per purpose), channel, the text, the throttle. */
export function MessageFields({ form, setField }: { form: CampaignForm; setField: SetField }) {
  return (
    <Fieldset legend="What, on which channel, how fast">
      <TextInput
        label="Campaign name"
        required
        maxLength={120}
        value={form.name}
        onChange={(e) => setField('name', e.currentTarget.value)}
      />
      <NativeSelect
        label="Purpose"
        mt="sm"
        value={form.purpose}
        onChange={(e) => setField('purpose', e.currentTarget.value)}
        data={PURPOSES}
      />
      <NativeSelect
        label="Channel"
        mt="sm"
        value={form.channel}
        onChange={(e) => setField('channel', e.currentTarget.value)}
        data={[
          { value: '', label: "Each patient's preferred channel" },
          ...Object.entries(CHANNEL_LABELS).map(([value, label]) => ({ value, label })),
        ]}
      />
      <Textarea
        label="Message"
        mt="sm"
        autosize
        minRows={3}
        maxLength={1600}
        value={form.text}
        onChange={(e) => setField('text', e.currentTarget.value)}
      />
      <Text size="xs" c="dimmed" mt={4}>
        Leave empty for the purpose&apos;s template in each patient&apos;s language. Never name a result or a
        diagnosis.
      </Text>
      <NumberInput
        label="At most per hour"
        mt="sm"
        min={1}
        max={100000}
        value={form.perHour}
        onChange={(value) => setField('perHour', typeof value === 'number' ? value : 600)}
      />
    </Fieldset>
  );
}

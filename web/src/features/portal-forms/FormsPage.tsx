import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { Link, useParams } from 'wouter';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { FormView } from './FormView.tsx';
import { useForms, type FormSummary } from './use-forms.ts';

const STATE: Record<FormSummary['state'], { label: string; color: string; action: string }> = {
  'to-do': { label: 'To fill in', color: 'orange', action: 'Fill in' },
  draft: { label: 'Draft saved', color: 'yellow', action: 'Continue' },
  submitted: { label: 'Sent', color: 'teal', action: 'View' },
};

const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

function FormCard({ form }: { form: FormSummary }) {
  const state = STATE[form.state];
  return (
    <Card padding="md" component="article" aria-label={form.title}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text fw={650}>{form.title}</Text>
          <Badge color={state.color} variant="light" style={{ flexShrink: 0 }}>
            {state.label}
          </Badge>
        </Group>
        {form.description && <Text size="sm">{form.description}</Text>}
        {form.updated && (
          <Text size="sm" c="dimmed">
            Last saved {dayFormat.format(new Date(form.updated))}
          </Text>
        )}
        <Button
          component={Link}
          href={`/forms/${form.task}`}
          variant={form.state === 'submitted' ? 'light' : 'filled'}
          w="fit-content"
        >
          {state.action}
        </Button>
      </Stack>
    </Card>
  );
}

/** The forms the clinic asked her to fill in; with a task in the path, that form. */
export function FormsPage() {
  const { task } = useParams<{ task?: string }>();
  const forms = useForms();
  if (task) return <FormView task={task} />;
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Forms
      </Title>
      <Text>
        Forms the clinic asked you to fill in before a visit. What we already know is filled in for you.
      </Text>
      <QueryState query={forms} isEmpty={(list) => list.length === 0} empty="No forms to fill in.">
        {(list) => (
          <Stack gap="sm" component="section" aria-label="Your forms">
            {list.map((form) => (
              <FormCard key={form.task} form={form} />
            ))}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

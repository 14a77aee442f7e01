import { Alert, Anchor, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'wouter';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { QuestionField } from './QuestionField.tsx';
import { answersOf, missingRequired, responseItems, type Answers } from './questionnaire.ts';
import { useForm, useSaveForm, type OpenForm } from './use-forms.ts';

const whenFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

function SaveState({ save, submitted }: { save: ReturnType<typeof useSaveForm>; submitted: boolean }) {
  if (save.error)
    return (
      <Alert color="red" role="alert">
        {save.error.message}
      </Alert>
    );
  if (!save.isSuccess) return null;
  return (
    <Alert color="green" role="status">
      {submitted
        ? 'Thank you: your form was sent to the clinic.'
        : 'Your draft is saved. You can finish it later.'}
    </Alert>
  );
}

/** The form itself: prefilled answers, her changes, keep a draft or send it. */
function Questions({ task, form }: { task: string; form: OpenForm }) {
  const [answers, setAnswers] = useState<Answers>(() => answersOf(form.response.item));
  const [missing, setMissing] = useState<string[]>([]);
  const save = useSaveForm(task);
  const submitted = form.response.status === 'completed';
  const items = form.questionnaire.item;
  const change = (linkId: string, given: Answers[string]) =>
    setAnswers((now) => ({ ...now, [linkId]: given }));
  const send = (submit: boolean) => {
    const stillMissing = submit ? missingRequired(items, answers) : [];
    setMissing(stillMissing);
    if (stillMissing.length === 0) save.mutate({ item: responseItems(items, answers), submit });
  };
  return (
    <form aria-label={form.questionnaire.title} onSubmit={(e) => (e.preventDefault(), send(true))} noValidate>
      <Stack gap="md">
        {submitted && (
          <Alert color="teal" role="status">
            Sent to the clinic{' '}
            {form.response.authored ? whenFormat.format(new Date(form.response.authored)) : ''}.
          </Alert>
        )}
        {(items ?? []).map((item) => (
          <QuestionField
            key={item.linkId}
            item={item}
            answers={answers}
            onChange={change}
            missing={missing}
            readOnly={submitted || (save.isSuccess && save.variables?.submit === true)}
          />
        ))}
        {missing.length > 0 && (
          <Alert color="orange" role="alert">
            Some required questions are not answered yet.
          </Alert>
        )}
        <SaveState save={save} submitted={save.variables?.submit === true} />
        {!submitted && (
          <Group>
            <Button type="submit" loading={save.isPending && save.variables?.submit}>
              Send to the clinic
            </Button>
            <Button
              variant="default"
              onClick={() => send(false)}
              loading={save.isPending && !save.variables?.submit}
            >
              Save draft
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}

export function FormView({ task }: { task: string }) {
  const form = useForm(task);
  return (
    <Stack gap="lg">
      <Anchor component={Link} href="/forms" size="sm">
        ← All forms
      </Anchor>
      <QueryState query={form} height={300}>
        {(open) => (
          <Stack gap="md">
            <Title order={1} size="h2">
              {open.questionnaire.title ?? 'Form'}
            </Title>
            {open.task.description && <Text>{open.task.description}</Text>}
            <Questions task={task} form={open} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

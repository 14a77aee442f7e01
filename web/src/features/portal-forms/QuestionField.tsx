import { Button, Fieldset, Group, Radio, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { isEnabled, primitiveOf, type Answer, type Answers, type Item } from './questionnaire.ts';

export interface FieldProps {
  item: Item;
  answers: Answers;
  onChange: (linkId: string, answers: Answer[]) => void;
  /** linkIds of required questions left empty, once she tried to submit. */
  missing: string[];
  readOnly: boolean;
}

const MISSING = 'Please answer this question';

/** One answer box of a text-like question (string, text, date, integer). */
function TextAnswer({
  item,
  value,
  label,
  error,
  readOnly,
  onValue,
}: {
  item: Item;
  value: string;
  label: string;
  error?: string;
  readOnly: boolean;
  onValue: (value: string) => void;
}) {
  const common = {
    label,
    value,
    error,
    readOnly,
    required: item.required,
    onChange: (e: { currentTarget: { value: string } }) => onValue(e.currentTarget.value),
  };
  if (item.type === 'text') return <Textarea autosize minRows={2} {...common} />;
  if (item.type === 'date') return <TextInput type="date" {...common} />;
  if (item.type === 'integer') return <TextInput type="number" inputMode="numeric" step={1} {...common} />;
  return <TextInput {...common} />;
}

function toAnswer(item: Item, value: string): Answer {
  if (item.type === 'date') return { valueDate: value };
  if (item.type === 'integer')
    return value === '' ? { valueString: '' } : { valueInteger: Number.parseInt(value, 10) };
  return { valueString: value };
}

const textOf = (answer: Answer | undefined) => String(primitiveOf(answer ?? {}) ?? '');

/** A question that repeats (medicines, allergies): one box per answer, and "Add another". */
function RepeatingAnswers({ item, answers, onChange, missing, readOnly }: FieldProps) {
  const given = answers[item.linkId]?.length ? answers[item.linkId]! : [{ valueString: '' }];
  const set = (index: number, answer: Answer | undefined) => {
    const next = given.flatMap((each, i) => (i === index ? (answer ? [answer] : []) : [each]));
    onChange(item.linkId, next);
  };
  return (
    <Stack gap="xs">
      {given.map((answer, i) => (
        <Group key={i} gap="xs" wrap="nowrap" align="flex-end">
          <div style={{ flex: 1 }}>
            <TextAnswer
              item={item}
              value={textOf(answer)}
              label={i === 0 ? (item.text ?? item.linkId) : `${item.text} (${i + 1})`}
              readOnly={readOnly}
              error={i === 0 && missing.includes(item.linkId) ? MISSING : undefined}
              onValue={(v) => set(i, toAnswer(item, v))}
            />
          </div>
          {!readOnly && given.length > 1 && (
            <Button
              variant="subtle"
              color="gray"
              onClick={() => set(i, undefined)}
              aria-label={`Remove ${item.text} (${i + 1})`}
            >
              Remove
            </Button>
          )}
        </Group>
      ))}
      {!readOnly && (
        <Button
          variant="light"
          size="sm"
          w="fit-content"
          onClick={() => onChange(item.linkId, [...given, { valueString: '' }])}
        >
          Add another
        </Button>
      )}
    </Stack>
  );
}

/** Yes/No, or one of the options: radio buttons (a phone shows them all at once). */
function ChoiceAnswer({ item, answers, onChange, missing, readOnly }: FieldProps) {
  const options: { value: string; label: string; answer: Answer }[] =
    item.type === 'boolean'
      ? [
          { value: 'true', label: 'Yes', answer: { valueBoolean: true } },
          { value: 'false', label: 'No', answer: { valueBoolean: false } },
        ]
      : (item.answerOption ?? []).map((o) => ({
          value: String(primitiveOf(o)),
          label: o.valueCoding?.display ?? String(primitiveOf(o)),
          answer: o,
        }));
  const current = answers[item.linkId]?.[0];
  return (
    <Radio.Group
      label={item.text}
      required={item.required}
      value={current ? String(primitiveOf(current)) : null}
      error={missing.includes(item.linkId) ? MISSING : undefined}
      onChange={(value) =>
        onChange(
          item.linkId,
          options.filter((o) => o.value === value).map((o) => o.answer),
        )
      }
    >
      <Group gap="lg" mt={6}>
        {options.map((o) => (
          <Radio key={o.value} value={o.value} label={o.label} disabled={readOnly} />
        ))}
      </Group>
    </Radio.Group>
  );
}

/** One item of the form as its type asks; hidden while its enableWhen does not hold. */
export function QuestionField(props: FieldProps) {
  const { item, answers, onChange, missing, readOnly } = props;
  if (!isEnabled(item, answers)) return null;
  if (item.type === 'group')
    return (
      <Fieldset legend={item.text}>
        <Stack gap="md">
          {(item.item ?? []).map((child) => (
            <QuestionField key={child.linkId} {...props} item={child} />
          ))}
        </Stack>
      </Fieldset>
    );
  if (item.type === 'display') return <Text>{item.text}</Text>;
  if (item.type === 'boolean' || item.type === 'choice') return <ChoiceAnswer {...props} />;
  if (item.repeats) return <RepeatingAnswers {...props} />;
  return (
    <TextAnswer
      item={item}
      label={item.text ?? item.linkId}
      value={textOf(answers[item.linkId]?.[0])}
      readOnly={readOnly}
      error={missing.includes(item.linkId) ? MISSING : undefined}
      onValue={(v) => onChange(item.linkId, [toAnswer(item, v)])}
    />
  );
}

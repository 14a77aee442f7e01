import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api/http.ts';
import type { Questionnaire, QuestionnaireResponse, ResponseItem } from './questionnaire.ts';

export interface FormSummary {
  task: string;
  title: string;
  description?: string;
  state: 'to-do' | 'draft' | 'submitted';
  updated?: string;
}

export function useForms() {
  return useQuery({
    queryKey: ['portal', 'forms'],
    queryFn: async () => (await api<{ forms: FormSummary[] }>('/api/portal/forms')).forms,
  });
}

export interface OpenForm {
  task: { id: string; description?: string };
  questionnaire: Questionnaire;
  response: QuestionnaireResponse;
}

/** The form with her answers so far, or prefilled from her record. */
export function useForm(task: string) {
  return useQuery({
    queryKey: ['portal', 'forms', task],
    queryFn: () => api<OpenForm>(`/api/portal/forms/${encodeURIComponent(task)}`),
    // Her typing is the state now: a refetch must not overwrite what she has not saved.
    refetchOnWindowFocus: false,
  });
}

/** Keep a draft or submit: the server checks the answers against the form again. */
export function useSaveForm(task: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (answers: { item: ResponseItem[]; submit: boolean }) =>
      api<{ response: QuestionnaireResponse }>(`/api/portal/forms/${encodeURIComponent(task)}`, {
        method: 'PUT',
        body: JSON.stringify(answers),
      }),
    onSuccess: (_answer, sent) => {
      void client.invalidateQueries({ queryKey: ['portal', 'forms'], exact: true });
      if (sent.submit) void client.invalidateQueries({ queryKey: ['portal', 'forms', task] });
    },
  });
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, post } from '../../shared/api/http.ts';
import { actingFor, currentPatient } from '../../shared/session/acting-for.ts';
import { currentSession } from '../../shared/session/session-store.ts';
import type { Bundle } from '../../shared/fhir/types.ts';
import { PORTAL_MEDIUM, type Communication } from './threads.ts';
import type { Attachment } from './attachment.ts';

interface Outgoing {
  text: string;
  topic?: string;
  answers?: string;
  attachment?: Attachment;
}

const KEY = ['portal', 'messages'];

export function useMessages() {
  return useQuery({
    queryKey: KEY,
    queryFn: async () => {
      const bundle = await api<Bundle<Communication>>('/fhir/Communication?_count=200');
      return (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []));
    },
  });
}

/**
 * A message to the clinic: a Communication from her, about her, written online. Sent with her
 * own token; the checkpoint lets a patient write only what names her own record. The journey
 * puts a patient's message nobody has answered on the coordinator's worklist.
 */
/**
 * Who writes: she herself, or — acting for someone — she as that person's caregiver (her
 * grant's RelatedPerson), so the clinic sees who wrote it; the server allows no other.
 */
function senderOf(patient: string): { reference: string; display?: string } {
  const acting = actingFor();
  if (!acting) return { reference: patient };
  return {
    reference: acting.grant,
    display: `${currentSession()?.user.name ?? 'Caregiver'} for ${acting.name}`,
  };
}

function messageOf(text: string, options: Outgoing): Communication {
  const patient = `Patient/${currentPatient() ?? ''}`;
  return {
    resourceType: 'Communication',
    status: 'completed',
    subject: { reference: patient },
    sender: senderOf(patient),
    sent: new Date().toISOString(),
    medium: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode',
            code: PORTAL_MEDIUM,
            display: 'online written',
          },
        ],
      },
    ],
    ...(options.topic ? { topic: { text: options.topic } } : {}),
    ...(options.answers ? { inResponseTo: [{ reference: `Communication/${options.answers}` }] } : {}),
    payload: [
      { contentString: text },
      ...(options.attachment ? [{ contentAttachment: options.attachment }] : []),
    ],
  };
}

export function useSend() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (message: Outgoing) =>
      post<Communication>('/fhir/Communication', messageOf(message.text, message)),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

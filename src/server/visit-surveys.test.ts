import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, CommunicationRequest, QuestionnaireResponse, Task } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { SATISFACTION_CANONICAL, SURVEY_CONTEXT_URL } from '../engagement/index.ts';
import { channelConsent } from '../engagement/testing/channel-consent.ts';
import { patientToken, staffToken } from './testing/role-tokens.ts';
import { twilioPlatformPerSuite } from './testing/twilio-platform.ts';

const twilioAccount = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'twilio-test-token' };
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000).toISOString();

describeEachBackend(
  'post-visit satisfaction surveys: planned, sent with consent, answered once',
  (backend) => {
    const { platform, twilio } = twilioPlatformPerSuite(backend, {
      account: twilioAccount,
      env: { QUIET_HOURS: 'off', SURVEY_DELAY_HOURS: '0' },
    });

    const read = async <T>(path: string): Promise<T> =>
      (await (await platform.fetch(`/fhir/${path}`)).json()) as T;
    const search = async <T>(path: string): Promise<T[]> =>
      ((await read<Bundle>(path)).entry ?? []).map((entry) => entry.resource as T);
    const put = (resource: { resourceType: string; id: string }) =>
      platform.fetch(`/fhir/${resource.resourceType}/${resource.id}`, {
        method: 'PUT',
        body: JSON.stringify(resource),
      });

    async function patient(family: string, mobile: string): Promise<string> {
      return platform.create({
        resourceType: 'Patient',
        name: [{ family, given: [family === 'Okafor' ? 'Maya' : 'Jonas'] }],
        birthDate: family === 'Okafor' ? '1988-04-12' : '1961-09-30',
        telecom: [{ system: 'phone', use: 'mobile', value: mobile, rank: 1 }],
      } as never);
    }

    /** A visit that just ended: booked, then fulfilled (as the front desk closes it). */
    async function fulfilledVisit(patientId: string): Promise<string> {
      const appointment = {
        resourceType: 'Appointment',
        status: 'booked',
        start: hoursAgo(1),
        end: hoursAgo(0.5),
        serviceType: [{ text: 'General practice' }],
        participant: [{ actor: { reference: `Patient/${patientId}` }, status: 'accepted' }],
      };
      const id = await platform.create(appointment);
      await put({ ...appointment, id, status: 'fulfilled' } as never);
      await platform.worker.drain();
      return id;
    }

    /** This month's figure of a KPI, as the practice manager sees it. */
    async function kpi(id: string): Promise<{ numerator: number; denominator: number | null }> {
      const token = await staffToken(platform, 'practice-manager');
      const month = new Date().toISOString().slice(0, 7);
      const response = await platform.fetch(`/api/analytics/kpis?period=month&from=${month}-01`, { token });
      const answer = (await response.json()) as {
        kpis: { id: string; buckets: { bucket: string; numerator: number; denominator: number | null }[] }[];
      };
      const bucket = answer.kpis.find((each) => each.id === id)?.buckets.find((b) => b.bucket === month);
      return { numerator: bucket?.numerator ?? 0, denominator: bucket?.denominator ?? null };
    }

    const surveysOf = (patientId: string) =>
      search<CommunicationRequest>(`CommunicationRequest?subject=Patient/${patientId}&category=survey`);
    const surveyTasksOf = (patientId: string) =>
      search<Task>(`Task?patient=Patient/${patientId}&code=complete-questionnaire`);

    let maya = '';
    let mayaVisit = '';
    test('a fulfilled visit: one survey request, sent on a permitted channel with the link to her form', async () => {
      maya = await patient('Okafor', '+15550001001');
      await platform.create(
        channelConsent({
          patient: maya,
          permit: true,
          mode: 'SMSWRIT',
          purpose: 'survey',
          dateTime: hoursAgo(24),
        }),
      );
      mayaVisit = await fulfilledVisit(maya);
      const [request, ...more] = await surveysOf(maya);
      assert.equal(more.length, 0);
      assert.equal(request?.status, 'completed');
      assert.deepEqual(
        request?.about?.map((r) => r.reference?.split('/')[0]),
        ['Appointment', 'Task'],
      );
      const [task] = await surveyTasksOf(maya);
      assert.equal(task?.status, 'requested', 'offered once the invitation went');
      assert.equal(task?.focus?.reference, `Appointment/${mayaVisit}`);
      const context = task?.extension?.find((e) => e.url === SURVEY_CONTEXT_URL)?.extension ?? [];
      assert.equal(context.find((e) => e.url === 'channel')?.valueCode, 'sms');
      const texts = twilio.accepted.filter((m) => m.to === '+15550001001').map((m) => m.text);
      assert.equal(texts.length, 1);
      assert.match(
        texts[0] ?? '',
        new RegExp(
          `^Riverside Family Practice: how was your visit\\? .*https?://[^ ]+/portal/forms/${task?.id}$`,
        ),
      );
    });

    test('replays, a second status write and the visit’s Encounter plan nothing twice', async () => {
      const appointment = await read<{ resourceType: string; id: string }>(`Appointment/${mayaVisit}`);
      await put({ ...appointment, comment: 'closed by the front desk' } as never);
      await platform.create({
        resourceType: 'Encounter',
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        subject: { reference: `Patient/${maya}` },
        appointment: [{ reference: `Appointment/${mayaVisit}` }],
        period: { start: hoursAgo(1), end: hoursAgo(0.5) },
      } as never);
      await platform.worker.drain();
      assert.equal((await surveysOf(maya)).length, 1);
      assert.equal((await surveyTasksOf(maya)).length, 1);
      assert.equal(twilio.accepted.filter((m) => m.to === '+15550001001').length, 1);
    });

    test('without consent for surveys nothing is sent, and no form is offered', async () => {
      const jonas = await patient('Lindqvist', '+15550001002');
      await fulfilledVisit(jonas);
      const [request] = await surveysOf(jonas);
      assert.equal(request?.status, 'revoked');
      assert.match(request?.statusReason?.text ?? '', /needs an explicit permit/);
      assert.equal(twilio.accepted.filter((m) => m.to === '+15550001002').length, 0);
      assert.equal((await surveyTasksOf(jonas))[0]?.status, 'cancelled');
      const token = await patientToken(platform, jonas);
      const forms = await (await platform.fetch('/api/portal/forms', { token })).json();
      assert.deepEqual(forms, { forms: [] });
      assert.deepEqual(
        await kpi('survey-response-rate'),
        { numerator: 0, denominator: 1 },
        'only Maya’s was sent',
      );
    });

    test('she answers in the portal once: the response names the questionnaire and the visit', async () => {
      const token = await patientToken(platform, maya);
      const { forms } = (await (await platform.fetch('/api/portal/forms', { token })).json()) as {
        forms: { task: string; title: string; description: string; state: string }[];
      };
      assert.equal(forms.length, 1);
      assert.equal(forms[0]?.title, 'How was your visit?');
      assert.match(forms[0]?.description ?? '', /^How was your visit on \w{3} \d{1,2} \w{3}\?$/);
      const answers = {
        submit: true,
        item: [
          { linkId: 'overall', answer: [{ valueCoding: { code: '4' } }] },
          { linkId: 'comment', answer: [{ valueString: 'Kind and on time.' }] },
        ],
      };
      const save = () =>
        platform.fetch(`/api/portal/forms/${forms[0]?.task}`, {
          method: 'PUT',
          token,
          body: JSON.stringify(answers),
        });
      const saved = await save();
      assert.equal(saved.status, 200);
      const { response } = (await saved.json()) as { response: QuestionnaireResponse };
      assert.equal(response.questionnaire, SATISFACTION_CANONICAL);
      assert.equal(response.subject?.reference, `Patient/${maya}`);
      const visit = response.extension?.[0]?.extension?.find((e) => e.url === 'visit')?.valueReference;
      assert.equal(visit?.reference, `Appointment/${mayaVisit}`);
      assert.equal((await save()).status, 409, 'a second answer for the same visit is refused');
      const stored = await search<QuestionnaireResponse>(`QuestionnaireResponse?subject=Patient/${maya}`);
      assert.equal(stored.length, 1);
      assert.deepEqual(await kpi('survey-response-rate'), { numerator: 1, denominator: 1 });
      assert.deepEqual(await kpi('satisfaction-score'), { numerator: 1, denominator: 1 }, 'a 4 of 5');
    });
  },
);

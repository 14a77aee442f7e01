import { Alert, Stack, Title } from '@mantine/core';
import { useSearch } from 'wouter';
import { useActingFor, type ActingFor } from '../../shared/session/acting-for.ts';
import { CORRECT_PARAM } from '../../shared/ui/CorrectThisLink.tsx';
import { AccessSection } from './AccessSection.tsx';
import { ConsentSection } from './ConsentSection.tsx';
import { ContactSection } from './ContactSection.tsx';
import { CorrectionSection } from './CorrectionSection.tsx';
import { DownloadSection } from './DownloadSection.tsx';
import { ProxiesSection } from './ProxiesSection.tsx';
import { QuietHoursSection } from './QuietHoursSection.tsx';

/**
 * What a caregiver sees here: what her grant allows — with its `record` scope, downloading the
 * record and asking to correct it (the server checks the same scope) — and why the rest is not
 * here: the person's contact choices, consent, access log and proxies are theirs alone.
 */
function ActingForSettings({ acting }: { acting: ActingFor }) {
  const record = acting.scope?.includes('record') ?? false;
  return (
    <>
      <Alert color="gray" role="note">
        {acting.name}’s contact choices, consent, quiet hours, who saw their record and who may act for them
        are theirs alone to see and change. Your own sign-in and settings are under “You” in the switcher
        above.
        {record
          ? ''
          : ` Your access for ${acting.name} does not include their record, so you cannot download it or ask for a correction.`}
      </Alert>
      {record && (
        <>
          <DownloadSection whose={acting.name} />
          <CorrectionSection whose={acting.name} />
        </>
      )}
    </>
  );
}

/**
 * Settings: her channel and language, how the clinic may contact her, who at the clinic opened
 * her record, downloading it, asking to correct it, and who may act for her.
 */
export function PreferencesPage() {
  const acting = useActingFor();
  // Sent here by "Correct this", she finds the correction form first.
  const correcting = new URLSearchParams(useSearch()).has(CORRECT_PARAM);
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Settings and privacy
      </Title>
      {acting ? (
        <ActingForSettings acting={acting} />
      ) : (
        <>
          {correcting && <CorrectionSection />}
          <ContactSection />
          <QuietHoursSection />
          <ConsentSection />
          <AccessSection />
          <DownloadSection />
          {!correcting && <CorrectionSection />}
          <ProxiesSection />
        </>
      )}
    </Stack>
  );
}

import { Alert, Stack, Title } from '@mantine/core';
import { useActingFor } from '../../shared/session/acting-for.ts';
import { AccessSection } from './AccessSection.tsx';
import { ConsentSection } from './ConsentSection.tsx';
import { ContactSection } from './ContactSection.tsx';
import { CorrectionSection } from './CorrectionSection.tsx';
import { ProxiesSection } from './ProxiesSection.tsx';
import { QuietHoursSection } from './QuietHoursSection.tsx';

/**
 * Settings: her channel and language, how the clinic may contact her, who at the clinic opened
 * her record, asking to correct it, and who may act for her. These are hers alone: acting for someone else, a
 * caregiver sees why they are not here (the server refuses them to a proxy too).
 */
export function PreferencesPage() {
  const acting = useActingFor();
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Settings and privacy
      </Title>
      {acting ? (
        <Alert color="gray" role="note">
          {acting.name}’s contact choices, consent, who saw their record and who may act for them are theirs
          alone to see and change. Switch to “You” to see your own.
        </Alert>
      ) : (
        <>
          <ContactSection />
          <QuietHoursSection />
          <ConsentSection />
          <AccessSection />
          <CorrectionSection />
          <ProxiesSection />
        </>
      )}
    </Stack>
  );
}

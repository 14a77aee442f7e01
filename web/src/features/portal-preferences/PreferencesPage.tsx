import { Stack, Title } from '@mantine/core';
import { AccessSection } from './AccessSection.tsx';
import { ConsentSection } from './ConsentSection.tsx';
import { ContactSection } from './ContactSection.tsx';

/** Settings: her channel and language, how the clinic may contact her, and who at the clinic opened her record. */
export function PreferencesPage() {
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Settings and privacy
      </Title>
      <ContactSection />
      <ConsentSection />
      <AccessSection />
    </Stack>
  );
}

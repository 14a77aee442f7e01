import { Alert, Button, Card, Group, Text, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useDownloadRecord } from './use-download.ts';

/**
 * "Download my data" (her right of access): the whole record, every linked record of hers
 * included, as one file in FHIR's standard format, which another clinic or app can read.
 */
export function DownloadSection({ whose }: { whose?: string }) {
  const download = useDownloadRecord();
  return (
    <Card padding="md" component="section" aria-label="Download your record">
      <Title order={2} size="h4" mb={4}>
        Download {whose ? `${whose}’s` : 'your'} record
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        One file with {whose ? 'their' : 'your'} results, medicines, allergies, problems, visits, appointments
        and messages, in FHIR, the standard format other clinics and health apps read. Keep it safe: it holds
        private health information.
      </Text>
      {download.error && (
        <Alert color="red" role="alert" mb="sm">
          {download.error.message}
        </Alert>
      )}
      {download.isSuccess && (
        <Alert color="green" role="status" mb="sm">
          Downloaded {download.data} items. Look for the file in your downloads.
        </Alert>
      )}
      <Group>
        <Button
          leftSection={<IconDownload size={18} aria-hidden />}
          loading={download.isPending}
          onClick={() => download.mutate()}
        >
          Download (FHIR JSON)
        </Button>
      </Group>
    </Card>
  );
}

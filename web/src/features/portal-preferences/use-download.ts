import { useMutation } from '@tanstack/react-query';
import { api } from '../../shared/api/http.ts';

/** Saves data as a file in her browser (a link to it, clicked once, then let go). */
function saveFile(contents: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([contents], { type: 'application/fhir+json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has read the file by the time it starts the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Downloads the record shown (hers, or the one she acts for) as a FHIR Bundle JSON file. It goes
 * through `api` (not a plain link) so the call carries her token and whom she acts for.
 */
export function useDownloadRecord() {
  return useMutation({
    mutationFn: async () => {
      const bundle = await api<{ entry?: unknown[] }>('/api/portal/export');
      saveFile(
        JSON.stringify(bundle, null, 2),
        `health-record-${new Date().toISOString().slice(0, 10)}.json`,
      );
      return bundle.entry?.length ?? 0;
    },
  });
}

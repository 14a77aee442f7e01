import { useState } from 'react';
import { campaignBodyOf, EMPTY_FORM, newLaunchKey, type CampaignForm } from './campaign-plan.ts';
import { useLaunch, usePreview, type CampaignPreview } from './use-campaigns.ts';

/**
 * The form, its preview and its launch. Launch is offered only for the plan that was previewed
 * (change a field and it must be previewed again), once, with the key made at that preview: a
 * second click, or a retry after a lost answer, launches one campaign.
 */
export function useCampaignForm() {
  const [form, setForm] = useState<CampaignForm>(EMPTY_FORM);
  const [previewed, setPreviewed] = useState<{ plan: string; key: string; preview: CampaignPreview }>();
  const [launchedKey, setLaunchedKey] = useState<string>();
  const preview = usePreview();
  const launch = useLaunch();
  const plan = JSON.stringify(campaignBodyOf(form));
  const setField = (field: keyof CampaignForm, value: string | number) =>
    setForm((current) => ({ ...current, [field]: value }));
  return {
    form,
    setField,
    previewed: previewed?.preview,
    previewing: preview.isPending,
    launching: launch.isPending,
    canLaunch:
      previewed?.plan === plan &&
      previewed.key !== launchedKey &&
      previewed.preview.people > previewed.preview.notSent,
    error: preview.error ?? launch.error,
    preview: () => {
      launch.reset();
      preview.mutate(campaignBodyOf(form), {
        onSuccess: (answer) => setPreviewed({ plan, key: newLaunchKey(), preview: answer }),
      });
    },
    launch: (onLaunched: (id: string) => void) => {
      if (!previewed) return;
      launch.mutate(
        { body: JSON.parse(previewed.plan), key: previewed.key },
        {
          onSuccess: (answer) => {
            setLaunchedKey(previewed.key);
            onLaunched(answer.id);
          },
        },
      );
    },
  };
}

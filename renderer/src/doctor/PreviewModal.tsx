import { Alert, Box, Button, Group, Kbd, Loader, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { call, type Output } from '../api/client';
import { waitForJob } from '../api/jobs';

/** Screen resolution for the preview's page images: sharp on ordinary and high-density screens alike. */
const PREVIEW_DPI = 144;

export interface PreviewDocument {
  title: string;
  pdfBase64: string;
}

type Job = Output<'jobs.get'>;
type PrintLanguage = Output<'prescriptions.printLanguage'>['language'];

/** The watermarked PREVIEW, asked for as a job (nothing is locked or counted) and held while the viewer shows it. */
export function usePreview(visitId: string, beforePrint: () => Promise<boolean>, onJob: (job: Job) => void, onError: (message: string | null) => void, options?: { language: PrintLanguage }) {
  const [preview, setPreview] = useState<PreviewDocument | null>(null);
  async function showPreview() {
    onError(null);
    if (!(await beforePrint())) return onError('Fix the prescription before previewing it.');
    const r = await call('prescriptions.preview', { visitId, options });
    if (!r.ok) return onError(r.error.message);
    onJob(r.value);
    const done = await waitForJob(r.value.id);
    onJob(done);
    if (done.status === 'failed') return onError(done.message);
    const d = await call('jobs.document', { jobId: done.id });
    if (!d.ok) return onError(d.error.message);
    const rxNumber = done.result?.rxNumber;
    setPreview({ title: typeof rxNumber === 'string' ? `Preview of prescription ${rxNumber}` : 'Preview of the prescription', pdfBase64: d.value.pdfBase64 });
  }
  return { preview, showPreview, closePreview: () => setPreview(null) };
}

/**
 * The prescription as it will print, inside the app (pages drawn with pdf.js, loaded only when a
 * preview opens). Print is the main action: it has the focus and Enter does it; Escape closes.
 */
export function PreviewModal({ preview, printing, onPrint, onClose }: { preview: PreviewDocument | null; printing: boolean; onPrint: () => void; onClose: () => void }) {
  const pagesRef = useRef<HTMLDivElement | null>(null);
  // Which document the pages on show are of (and how that went): anything else is still rendering.
  const [shown, setShown] = useState<{ of: PreviewDocument; error: string | null } | null>(null);
  const state = preview && shown?.of === preview ? (shown.error ? 'error' : 'ready') : 'rendering';
  const error = state === 'error' ? shown?.error : null;

  useEffect(() => {
    if (!preview) return;
    let cancelled = false;
    const urls: string[] = [];
    void (async () => {
      try {
        const { renderPdfPages } = await import('../print/pdf-pages');
        const pages = await renderPdfPages(preview.pdfBase64, PREVIEW_DPI);
        for (const { element } of pages) {
          Object.assign(element.style, { margin: '0 auto 12px', boxShadow: '0 1px 4px rgba(0,0,0,0.25)', background: '#fff' });
          const image = element.querySelector('img');
          if (image) {
            urls.push(image.src);
            Object.assign(image.style, { display: 'block', width: '100%', height: '100%' });
          }
        }
        if (cancelled) return;
        pagesRef.current?.replaceChildren(...pages.map((p) => p.element));
        setShown({ of: preview, error: null });
      } catch (e) {
        if (!cancelled) setShown({ of: preview, error: e instanceof Error ? e.message : String(e) });
      }
    })();
    return () => {
      cancelled = true;
      // The page images are object URLs: give their memory back with the preview.
      for (const url of urls) URL.revokeObjectURL(url);
    };
  }, [preview]);

  // Enter prints from anywhere in the viewer; on a button, the button's own action (Close closes).
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key !== 'Enter' || e.target instanceof HTMLButtonElement || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    if (!printing) onPrint();
  }

  return (
    <Modal opened={preview !== null} onClose={onClose} title={preview?.title ?? 'Preview'} size="auto" centered>
      <Stack gap="sm" onKeyDown={onKeyDown} role="document" aria-label="Prescription preview">
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            Watermarked PREVIEW: nothing is printed or locked yet. <Kbd size="xs">Enter</Kbd> prints, <Kbd size="xs">Esc</Kbd> closes.
          </Text>
          <Group gap="xs">
            <Button data-autofocus onClick={onPrint} loading={printing}>
              Print
            </Button>
            <Button variant="default" onClick={onClose}>
              Close
            </Button>
          </Group>
        </Group>
        {error && (
          <Alert color="red" role="alert">
            The preview could not be shown: {error}
          </Alert>
        )}
        {state === 'rendering' && (
          <Group gap="xs">
            <Loader size="sm" /> <Text size="sm">Preparing the preview…</Text>
          </Group>
        )}
        <Box ref={pagesRef} data-testid="preview-pages" data-state={state} mah="70vh" style={{ overflow: 'auto', background: '#e9ecef', padding: 12 }} />
      </Stack>
    </Modal>
  );
}

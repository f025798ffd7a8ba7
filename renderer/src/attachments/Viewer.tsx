import { Alert, Box, Button, Group, Modal, Text } from '@mantine/core';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { call } from '../api/client';
import { bytesOf } from './thumbnails';
import type { PdfDoc } from './pdf-doc';
import { ATTACHMENT_KIND_LABELS, type AttachmentKind } from '../../../shared/attachments';

/**
 * An attachment opened in a modal (docs/ATTACHMENTS.md "Viewer"): a PDF page by page, an image
 * whole; zoom from "fit width" in steps. Keyboard: PageDown/PageUp (or →/←) turn pages, + and −
 * zoom, 0 fits the width, Escape closes. A withdrawn file still opens (the record is never erased),
 * under a red notice with the reason.
 */

export interface Viewable {
  id: string;
  title: string;
  kind: AttachmentKind;
  documentDate: string;
  mime: string;
  withdrawnAt: number | null;
  withdrawReason: string | null;
}

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const;

type Loaded = { kind: 'pdf'; doc: PdfDoc } | { kind: 'image'; url: string };

export function AttachmentViewer({ file, onClose }: { file: Viewable | null; onClose: () => void }) {
  return (
    <Modal opened={file !== null} onClose={onClose} size="90%" title={file ? <Heading file={file} /> : null}>
      {file && <ViewerBody key={file.id} file={file} />}
    </Modal>
  );
}

function Heading({ file }: { file: Viewable }) {
  return (
    <Text fw={600} td={file.withdrawnAt ? 'line-through' : undefined}>
      {file.title} · {ATTACHMENT_KIND_LABELS[file.kind]} · {file.documentDate}
    </Text>
  );
}

// Long by design: one modal's state (the file, its page, its zoom) with the keyboard that drives it.
function ViewerBody({ file }: { file: Viewable }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pages, setPages] = useState(1);
  const [page, setPage] = useState(1);
  const [zoom, setZoom] = useState(2); // index into ZOOMS: 1 = fit width
  const [width, setWidth] = useState(0);
  const area = useRef<HTMLDivElement | null>(null);
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const [drawn, setDrawn] = useState<string | null>(null);

  useEffect(() => {
    let gone = false;
    let opened: Loaded | null = null;
    void (async () => {
      const r = await call('attachments.read', { id: file.id });
      if (gone) return;
      if (!r.ok) return setError(r.error.message);
      const bytes = bytesOf(r.value.base64);
      try {
        if (r.value.mime === 'application/pdf') {
          const { openPdf } = await import('./pdf-doc');
          const doc = await openPdf(bytes);
          opened = { kind: 'pdf', doc };
          if (gone) return void doc.destroy();
          setPages(doc.numPages);
        } else {
          opened = { kind: 'image', url: URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: r.value.mime })) };
        }
        setLoaded(opened);
      } catch {
        if (!gone) setError('This file could not be shown: it may be damaged.');
      }
    })();
    return () => {
      gone = true;
      if (opened?.kind === 'pdf') void opened.doc.destroy();
      if (opened?.kind === 'image') URL.revokeObjectURL(opened.url);
    };
  }, [file.id]);

  // "Fit width" follows the modal's width (the window may be resized with the viewer open).
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth - 16));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const cssWidth = Math.max(100, width * ZOOMS[zoom]!);
  useEffect(() => {
    if (loaded?.kind !== 'pdf' || !canvas.current || width <= 0) return;
    const key = `${page}@${cssWidth}`;
    setDrawn(null);
    drawPageOf(loaded.doc, page, canvas.current, cssWidth).then(
      () => setDrawn(key),
      (e: unknown) => {
        if (!(e instanceof Error && e.name === 'RenderingCancelledException')) setError('This page could not be drawn: the PDF may be damaged.');
      },
    );
  }, [loaded, page, cssWidth, width]);

  const turn = (by: number) => setPage((p) => Math.min(pages, Math.max(1, p + by)));
  const zoomBy = (by: number) => setZoom((z) => Math.min(ZOOMS.length - 1, Math.max(0, z + by)));

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const act: Record<string, () => void> = {
      PageDown: () => turn(1),
      ArrowRight: () => turn(1),
      PageUp: () => turn(-1),
      ArrowLeft: () => turn(-1),
      '+': () => zoomBy(1),
      '=': () => zoomBy(1),
      '-': () => zoomBy(-1),
      '0': () => setZoom(2),
    };
    const f = act[e.key];
    if (!f) return;
    e.preventDefault();
    f();
  }

  return (
    <Box onKeyDown={onKeyDown} tabIndex={0} data-autofocus aria-label="Attachment viewer" style={{ outline: 'none' }}>
      {file.withdrawnAt !== null && (
        <Alert color="red" variant="filled" mb="xs" title="Withdrawn from the record">
          {file.withdrawReason ?? 'No reason given'}. Kept because the record is never erased; do not rely on it.
        </Alert>
      )}
      <Group justify="space-between" mb="xs">
        <Group gap={4}>
          {loaded?.kind === 'pdf' && (
            <>
              <Button size="xs" variant="default" onClick={() => turn(-1)} disabled={page <= 1}>
                ‹ Previous
              </Button>
              <Text size="sm" data-testid="viewer-page">
                Page {page} of {pages}
              </Text>
              <Button size="xs" variant="default" onClick={() => turn(1)} disabled={page >= pages}>
                Next ›
              </Button>
            </>
          )}
        </Group>
        <Group gap={4}>
          <Button size="xs" variant="default" onClick={() => zoomBy(-1)} disabled={zoom === 0} aria-label="Zoom out">
            −
          </Button>
          <Text size="sm" w={70} ta="center" data-testid="viewer-zoom">
            {zoom === 2 ? 'Fit width' : `${Math.round(ZOOMS[zoom]! * 100)}%`}
          </Text>
          <Button size="xs" variant="default" onClick={() => zoomBy(1)} disabled={zoom === ZOOMS.length - 1} aria-label="Zoom in">
            +
          </Button>
          <Button size="xs" variant="subtle" onClick={() => setZoom(2)}>
            Fit width
          </Button>
        </Group>
      </Group>
      <Box ref={area} style={{ overflow: 'auto', maxHeight: '70vh', background: 'var(--mantine-color-gray-2)', padding: 8 }}>
        {error && <Alert color="red">{error}</Alert>}
        {!loaded && !error && <Text c="dimmed">Opening…</Text>}
        {loaded?.kind === 'pdf' && <canvas ref={canvas} aria-label={`Page ${page} of ${file.title}`} data-drawn={drawn ?? undefined} style={{ display: 'block', margin: '0 auto', background: '#fff' }} />}
        {loaded?.kind === 'image' && <img src={loaded.url} alt={file.title} style={{ display: 'block', margin: '0 auto', width: cssWidth }} />}
      </Box>
    </Box>
  );
}

async function drawPageOf(doc: PdfDoc, page: number, canvas: HTMLCanvasElement, cssWidth: number) {
  const { drawPage } = await import('./pdf-doc');
  await drawPage(doc, page, canvas, cssWidth);
}

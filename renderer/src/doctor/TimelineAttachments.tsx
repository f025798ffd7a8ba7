import { Badge, Box, Group, Image, Paper, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { Output } from '../api/client';
import { useSession } from '../session';
import { formatDay } from '../format';
import { thumbnailOf, type Thumbnail } from '../attachments/thumbnails';
import { AttachmentViewer, type Viewable } from '../attachments/Viewer';
import { ATTACHMENT_KIND_LABELS } from '../../../shared/attachments';

/**
 * The patient's reports and scans in the doctor's timeline, newest document first, each with a
 * thumbnail made when it scrolls into view (renderer/src/attachments/thumbnails.ts). Enter or a
 * click opens the viewer. Withdrawn files stay listed, struck through with the reason.
 */

type Entry = Output<'patients.timeline'>['attachments'][number];

export function TimelineAttachments({ files }: { files: Entry[] }) {
  const [open, setOpen] = useState<Viewable | null>(null);
  if (files.length === 0) return null;
  return (
    <Paper withBorder p="sm" component="section" aria-label="Reports and scans">
      <Title order={5} mb="xs">
        Reports and scans ({files.length})
      </Title>
      <Box style={{ maxHeight: 430, overflowY: 'auto' }}>
        <SimpleGrid cols={{ base: 2, md: 4, lg: 5 }} spacing="xs">
          {files.map((f) => (
            <Card key={f.id} file={f} onOpen={() => setOpen(f)} />
          ))}
        </SimpleGrid>
      </Box>
      <AttachmentViewer file={open} onClose={() => setOpen(null)} />
    </Paper>
  );
}

function Card({ file, onOpen }: { file: Entry; onOpen: () => void }) {
  const withdrawn = file.withdrawnAt !== null;
  return (
    <UnstyledButton onClick={onOpen} aria-label={`Open ${file.title}${withdrawn ? ' (withdrawn)' : ''}`} data-testid="timeline-attachment">
      <Paper withBorder p={6} h="100%" style={withdrawn ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}>
        <Stack gap={2}>
          <Thumb file={file} />
          <Group gap={4} wrap="nowrap">
            <Badge size="xs" variant="light">
              {ATTACHMENT_KIND_LABELS[file.kind]}
            </Badge>
            <Text size="xs">{formatDay(file.documentDate)}</Text>
          </Group>
          <Text size="sm" fw={600} lineClamp={2} td={withdrawn ? 'line-through' : undefined}>
            {file.title}
          </Text>
          {withdrawn && (
            <Text size="xs" c="red" fw={600}>
              Withdrawn: {file.withdrawReason}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            by {file.madeByName}
            {file.visitDate ? ` · visit of ${formatDay(file.visitDate)}` : ''}
          </Text>
        </Stack>
      </Paper>
    </UnstyledButton>
  );
}

/** Asks for its thumbnail only once it comes near the visible part of the list. */
function Thumb({ file }: { file: Entry }) {
  const { user } = useSession();
  const box = useRef<HTMLDivElement | null>(null);
  const [thumb, setThumb] = useState<Thumbnail | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || !file.downloaded) return;
    let live = true;
    const io = new IntersectionObserver(
      (seen) => {
        if (!seen.some((s) => s.isIntersecting)) return;
        io.disconnect();
        void thumbnailOf(user.id, file).then((t) => live && setThumb(t));
      },
      { rootMargin: '150px' },
    );
    io.observe(el);
    return () => {
      live = false;
      io.disconnect();
    };
  }, [file, user.id]);
  return (
    <Box ref={box} h={120} bg="gray.1" style={{ display: 'flex', alignItems: 'center', justifyContent: 'center', overflow: 'hidden', opacity: file.withdrawnAt ? 0.5 : 1 }}>
      {thumb && 'url' in thumb ? (
        <Image src={thumb.url} alt={`Thumbnail of ${file.title}`} h={120} w="auto" fit="contain" />
      ) : (
        <Text size="xs" c="dimmed" ta="center" px={4}>
          {!file.downloaded ? 'Downloading…' : thumb ? thumb.error : file.mime === 'application/pdf' ? 'PDF' : 'Image'}
        </Text>
      )}
    </Box>
  );
}

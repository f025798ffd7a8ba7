import { Button, Group, Image, NativeSelect, Paper, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { FormError } from '../FormError';

/**
 * "Take photo" in the attach dialog (docs/ATTACHMENTS.md): a webcam or document camera, live
 * preview, capture with Space or Enter, retake, rotate by 90°, then a JPEG handed to the dialog,
 * which sends it like a chosen file (same checks on the main process). The camera is on only while
 * the live preview shows: it is released on capture and when the dialog closes (unmount).
 */

type Devices = { id: string; label: string }[];

/** getUserMedia's refusals in words a receptionist can act on. */
function cameraProblem(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'The camera is not allowed for this app. Allow the camera in the browser or system settings, or attach a file instead.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No camera was found. Connect the webcam or document camera and try again, or attach a file instead.';
  if (name === 'NotReadableError' || name === 'AbortError') return 'The camera is busy: another program (a video call?) is using it. Close that program and press Retry.';
  return 'The camera could not be started. Press Retry, or attach a file instead.';
}

const stopAll = (stream: MediaStream | null) => stream?.getTracks().forEach((t) => t.stop());

/** The frame turned by `quarterTurns` × 90° clockwise, as a JPEG. */
async function rotatedJpeg(frame: HTMLCanvasElement, quarterTurns: number): Promise<Blob> {
  const turned = quarterTurns % 2 === 1;
  const canvas = document.createElement('canvas');
  canvas.width = turned ? frame.height : frame.width;
  canvas.height = turned ? frame.width : frame.height;
  const g = canvas.getContext('2d')!;
  g.translate(canvas.width / 2, canvas.height / 2);
  g.rotate((quarterTurns * Math.PI) / 2);
  g.drawImage(frame, -frame.width / 2, -frame.height / 2);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no JPEG'))), 'image/jpeg', 0.9));
}

// Long by design: one camera panel's states (starting, live, captured) and their buttons together.
export function CameraCapture({ onPhoto, onCancel }: { onPhoto: (file: File) => void; onCancel: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const frame = useRef<HTMLCanvasElement | null>(null);
  const captureButton = useRef<HTMLButtonElement>(null);
  const [devices, setDevices] = useState<Devices>([]);
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [shot, setShot] = useState<{ blob: Blob; url: string; turns: number } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [activeId, setActiveId] = useState('');
  // Not a secure page, or a browser without cameras at all.
  const noCamera = !navigator.mediaDevices?.getUserMedia;

  /** Starts the camera again (another device, retake, retry): the effect below does the work. */
  function restart(change: () => void) {
    setLive(false);
    setError(null);
    change();
  }

  useEffect(() => {
    if (shot || noCamera) return;
    let cancelled = false;
    navigator.mediaDevices
      .getUserMedia({ video: deviceId ? { deviceId: { exact: deviceId } } : true, audio: false })
      .then(async (s) => {
        if (cancelled) return stopAll(s);
        stream.current = s;
        if (video.current) {
          video.current.srcObject = s;
          await video.current.play().catch(() => undefined);
        }
        setLive(true);
        setActiveId(s.getVideoTracks()[0]?.getSettings().deviceId ?? '');
        // Labels are readable once the camera is allowed; a document camera is often the second.
        const all = await navigator.mediaDevices.enumerateDevices();
        if (!cancelled) setDevices(all.filter((d) => d.kind === 'videoinput').map((d, i) => ({ id: d.deviceId, label: d.label || `Camera ${i + 1}` })));
      })
      .catch((e: unknown) => !cancelled && setError(cameraProblem(e)));
    return () => {
      cancelled = true;
      stopAll(stream.current);
      stream.current = null;
    };
  }, [deviceId, shot, attempt, noCamera]);

  // Space or Enter takes the photo as soon as the preview is live, wherever the focus was.
  useEffect(() => {
    if (live) captureButton.current?.focus();
  }, [live]);

  // The still's object URL goes with it.
  useEffect(
    () => () => {
      if (shot) URL.revokeObjectURL(shot.url);
    },
    [shot],
  );

  async function capture() {
    const v = video.current;
    if (!v || !live || v.videoWidth === 0) return;
    const c = document.createElement('canvas');
    c.width = v.videoWidth;
    c.height = v.videoHeight;
    c.getContext('2d')!.drawImage(v, 0, 0);
    frame.current = c;
    const blob = await rotatedJpeg(c, 0);
    setShot({ blob, url: URL.createObjectURL(blob), turns: 0 });
  }

  async function rotate() {
    if (!shot || !frame.current) return;
    const turns = (shot.turns + 1) % 4;
    const blob = await rotatedJpeg(frame.current, turns);
    setShot({ blob, url: URL.createObjectURL(blob), turns });
  }

  function onKeyDown(e: KeyboardEvent) {
    if (shot || (e.key !== ' ' && e.key !== 'Enter') || (e.target as HTMLElement).tagName === 'SELECT') return;
    e.preventDefault();
    void capture();
  }

  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
  return (
    <Paper withBorder p="xs" aria-label="Camera" role="group" onKeyDown={onKeyDown}>
      <Stack gap={6}>
        {devices.length > 1 && !shot && (
          <NativeSelect label="Camera" value={deviceId ?? activeId} onChange={(e) => { const id = e.currentTarget.value; restart(() => setDeviceId(id)); }} data={devices.map((d) => ({ value: d.id, label: d.label }))} />
        )}
        {shot ? (
          <Image src={shot.url} alt="The photo taken" fit="contain" mah={320} />
        ) : (
          <video ref={video} muted playsInline aria-label="Camera preview" style={{ width: '100%', maxHeight: 320, background: '#222', display: error ? 'none' : 'block' }} />
        )}
        <FormError error={noCamera ? 'This computer offers no camera to the app. Attach a file instead.' : error} />
        {!shot && !error && !noCamera && <Text size="xs" c="dimmed">{live ? 'Press Space or Enter to take the photo.' : 'Starting the camera…'}</Text>}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onCancel}>
            Back
          </Button>
          {error && (
            <Button variant="default" onClick={() => restart(() => setAttempt((n) => n + 1))}>
              Retry
            </Button>
          )}
          {shot ? (
            <>
              <Button variant="default" onClick={() => restart(() => setShot(null))}>
                Retake
              </Button>
              <Button variant="default" onClick={() => void rotate()}>
                Rotate 90°
              </Button>
              <Button onClick={() => onPhoto(new File([shot.blob], `photo-${stamp}.jpg`, { type: 'image/jpeg' }))}>Use photo</Button>
            </>
          ) : (
            <Button ref={captureButton} onClick={() => void capture()} disabled={!live}>
              Capture
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

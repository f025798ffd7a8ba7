import { Alert, Button, Group, Kbd, Modal, Radio, Stack, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useHotkeys } from '@mantine/hooks';
import { useRef, useState, type KeyboardEvent } from 'react';
import type { Result } from '../../../shared/api';
import type { AbhaProfile } from '../../../shared/abdm-desk';
import { call, type Input } from '../api/client';
import { waitForJob } from '../api/jobs';
import { formatAbha } from '../format';
import type { PatientValues } from './PatientFields';

/** What a finished step's job carries (electron/api/abdm.ts). */
export type StepResult = { ok: boolean; code?: string; message?: string; txnRef?: string; verificationId?: string; method?: string; profile?: AbhaProfile; done?: boolean; isNew?: boolean; needsMobileOtp?: boolean; suggestions?: string[]; addressDomain?: string };
export type Verified = { verificationId: string; method: string; profile: AbhaProfile };

const METHOD_WORDS: Record<string, string> = {
  'abha-number-mobile-otp': 'ABHA number, mobile OTP',
  'abha-number-aadhaar-otp': 'ABHA number, Aadhaar OTP',
  'abha-address-mobile-otp': 'ABHA address, mobile OTP',
  'abha-address-aadhaar-otp': 'ABHA address, Aadhaar OTP',
  created: 'created here with Aadhaar OTP',
  'aadhaar-otp-existing': 'existing ABHA, Aadhaar OTP',
};
export const methodWords = (m: string) => METHOD_WORDS[m] ?? m;

/** Waits for a step's job: the server asks ABDM, which can take a few seconds. */
export async function finished(r: Result<{ id: string }>): Promise<StepResult> {
  if (!r.ok) return { ok: false, message: r.error.message };
  const job = await waitForJob(r.value.id);
  if (job.status !== 'done' || !job.result) return { ok: false, message: job.message };
  return job.result as StepResult;
}

/**
 * "Verify ABHA" (Alt+V): the patient's ABHA number or address, an OTP sent by ABDM (to the mobile
 * linked to the ABHA, or Aadhaar's), and the profile ABDM holds, which "Use these details" puts in
 * the form, marked verified with ABDM. Keyboard only: the first box has the cursor, Enter goes on.
 * Offline the server cannot be asked: the message says so and registration goes on without it.
 */
// Long by design: one dialog whose three steps (identifier, OTP, profile) share its state.
export function VerifyAbha({ initial, onUse }: { initial: { abhaNumber: string; abhaAddress: string }; onUse: (v: Verified) => void }) {
  const [opened, setOpened] = useState(false);
  const [by, setBy] = useState<'abha-number' | 'abha-address'>('abha-number');
  const [otpSystem, setOtpSystem] = useState<'abdm' | 'aadhaar'>('abdm');
  const [id, setId] = useState('');
  const [otp, setOtp] = useState('');
  const [sent, setSent] = useState<{ txnRef: string; message: string } | null>(null);
  const [verified, setVerified] = useState<Verified | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const button = useRef<HTMLButtonElement>(null);

  const open = () => {
    const byNumber = initial.abhaNumber !== '' || initial.abhaAddress === '';
    setBy(byNumber ? 'abha-number' : 'abha-address');
    setId(byNumber ? initial.abhaNumber : initial.abhaAddress);
    setOtp('');
    setSent(null);
    setVerified(null);
    setError(null);
    setOpened(true);
  };
  useHotkeys([['alt+V', open]], []);

  async function requestOtp() {
    setBusy(true);
    const body: Input<'abdm.abhaRequestOtp'> = by === 'abha-number' ? { by, abhaNumber: id.trim(), otpSystem } : { by, abhaAddress: id.trim(), otpSystem };
    const r = await finished(await call('abdm.abhaRequestOtp', body));
    setBusy(false);
    if (!r.ok || !r.txnRef) return setError(r.message ?? 'The OTP was not sent.');
    setError(null);
    setOtp('');
    setSent({ txnRef: r.txnRef, message: r.message ?? 'OTP sent.' });
  }

  async function verifyOtp() {
    if (!sent) return;
    setBusy(true);
    const r = await finished(await call('abdm.abhaVerifyOtp', { txnRef: sent.txnRef, otp: otp.trim() }));
    setBusy(false);
    if (!r.ok || !r.profile || !r.verificationId) return setError(r.message ?? 'Not verified.');
    setError(null);
    setVerified({ verificationId: r.verificationId, method: r.method ?? '', profile: r.profile });
  }

  const close = () => {
    setOpened(false);
    setTimeout(() => button.current?.focus(), 0);
  };
  const enter = (then: () => void) => (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !busy) {
      e.preventDefault();
      then();
    }
  };

  return (
    <>
      <Button ref={button} variant="light" onClick={open} rightSection={<Kbd size="xs">Alt+V</Kbd>}>
        Verify ABHA
      </Button>
      <Modal opened={opened} onClose={close} title="Verify ABHA with ABDM" size="lg" returnFocus={false}>
        <Stack gap="xs">
          {!sent && (
            <>
              <TextInput
                data-autofocus
                label={by === 'abha-number' ? 'ABHA number (14 digits)' : 'ABHA address (name@abdm)'}
                value={id}
                onChange={(e) => setId(e.currentTarget.value)}
                onKeyDown={enter(() => void requestOtp())}
              />
              <Radio.Group label="The patient gives" value={by} onChange={(v) => setBy(v === 'abha-address' ? 'abha-address' : 'abha-number')}>
                <Group>
                  <Radio value="abha-number" label="ABHA number" />
                  <Radio value="abha-address" label="ABHA address" />
                </Group>
              </Radio.Group>
              <Radio.Group label="OTP to" value={otpSystem} onChange={(v) => setOtpSystem(v === 'aadhaar' ? 'aadhaar' : 'abdm')}>
                <Group>
                  <Radio value="abdm" label="Mobile linked to the ABHA" />
                  <Radio value="aadhaar" label="Aadhaar-linked mobile" />
                </Group>
              </Radio.Group>
              <Button w="fit-content" loading={busy} onClick={() => void requestOtp()}>
                Send OTP
              </Button>
            </>
          )}
          {sent && !verified && (
            <>
              <Text size="sm">{sent.message}</Text>
              <TextInput data-autofocus autoFocus label="OTP the patient reads out (6 digits)" inputMode="numeric" autoComplete="one-time-code" value={otp} onChange={(e) => setOtp(e.currentTarget.value)} onKeyDown={enter(() => void verifyOtp())} />
              <Group>
                <Button loading={busy} onClick={() => void verifyOtp()}>
                  Verify
                </Button>
                <Button variant="default" onClick={() => setSent(null)}>
                  Ask for a new OTP
                </Button>
              </Group>
            </>
          )}
          {verified && <Profile v={verified} onUse={() => { setOpened(false); onUse(verified); }} />}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
        </Stack>
      </Modal>
    </>
  );
}

export function Profile({ v, onUse }: { v: Verified; onUse: () => void }) {
  const p = v.profile;
  return (
    <Alert color="green" title={`Verified with ABDM (${methodWords(v.method)})`}>
      <Stack gap={4}>
        <Text size="sm">
          {[p.givenName, p.familyName].filter(Boolean).join(' ')} · {p.gender ?? '?'} · {p.dob ?? (p.yearOfBirth ? `born ${p.yearOfBirth}` : 'no date of birth')}
        </Text>
        <Text size="sm">
          {p.abhaNumber ? `ABHA ${formatAbha(p.abhaNumber)} · ` : ''}
          {p.abhaAddress ?? ''} {p.mobile ? `· mobile ${p.mobile}` : ''}
        </Text>
        <Text size="sm">{[p.address, p.district, p.state, p.pincode].filter(Boolean).join(', ')}</Text>
        <Button autoFocus w="fit-content" onClick={onUse}>
          Use these details
        </Button>
      </Stack>
    </Alert>
  );
}

/** The form's values from ABDM's profile: ABDM's over the form's; what ABDM lacks stays as typed. */
export function abdmValues(p: AbhaProfile, v: PatientValues): Partial<PatientValues> {
  const gender = p.gender === 'M' ? 'male' : p.gender === 'F' ? 'female' : p.gender === 'O' ? 'other' : v.gender;
  return {
    abhaNumber: p.abhaNumber ?? v.abhaNumber,
    abhaAddress: p.abhaAddress ?? v.abhaAddress,
    givenName: p.givenName || v.givenName,
    familyName: p.familyName ?? v.familyName,
    gender,
    dob: p.dob ?? v.dob,
    ageYears: p.dob ? '' : p.yearOfBirth ? new Date().getFullYear() - p.yearOfBirth : v.ageYears,
    mobile: p.mobile ?? v.mobile,
    addressLine1: p.address ?? v.addressLine1,
    district: p.district ?? v.district,
    state: p.state ?? v.state,
    pincode: p.pincode ?? v.pincode,
  };
}

/**
 * The form's side of a verification: "Use these details" fills it, and after a save the patient is
 * marked verified with ABDM (abdm.abhaLink, a separate audited call).
 */
export function useAbdmVerification(form: UseFormReturnType<PatientValues>, onFilled: () => void) {
  const [verified, setVerified] = useState<Verified | null>(null);
  return {
    verified,
    /** A card scanned after a verification: the card is not one, so the mark does not carry over. */
    clear: () => setVerified(null),
    /** `onFilled` clears what the form showed of an earlier fill (the card's line). */
    fillFromAbdm: (v: Verified) => {
      form.setValues(abdmValues(v.profile, form.getValues()));
      setVerified(v);
      onFilled();
      setTimeout(() => form.getInputNode(v.profile.mobile ? 'givenName' : 'mobile')?.focus(), 0);
    },
    linkVerified: async (patientId: string) => {
      if (!verified) return;
      const r = await call('abdm.abhaLink', { patientId, verificationId: verified.verificationId });
      if (!r.ok) console.warn(`The ABHA was saved but not marked verified: ${r.error.message}`);
    },
  };
}

/** The line over the form once it was filled from ABDM. */
export function VerifiedWithAbdm({ verified }: { verified: Verified | null }) {
  if (!verified) return null;
  return (
    <Alert color="green" title={`Verified with ABDM (${methodWords(verified.method)})`}>
      <Text size="sm">Filled from ABDM&apos;s profile: check the details with the patient before saving.</Text>
    </Alert>
  );
}

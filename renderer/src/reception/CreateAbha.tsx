import { Alert, Button, Checkbox, Kbd, List, Modal, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useRef, useState, type KeyboardEvent } from 'react';
import { ABHA_ENROL_CONSENT_TEXT, ABHA_ENROL_CONSENT_VERSION } from '../../../shared/abdm-desk';
import { aadhaarProblem } from '../../../shared/verhoeff';
import { call, type Input } from '../api/client';
import { finished, Profile, type Verified } from './VerifyAbha';
import { SKIPPED, useSingleFlight } from '../forms';

type Step = 'aadhaar' | 'otp' | 'mobile-otp' | 'address' | 'done';

/**
 * "Create ABHA" (Alt+E): makes the patient's ABHA with ABDM using their Aadhaar OTP (docs/ABDM.md
 * "M1: ABHA creation"). The consent text is shown and must be ticked; the Aadhaar number is
 * checked here (12 digits, check digit) and goes to the clinic server only, which never keeps it.
 * Then the Aadhaar OTP and the mobile for the ABHA (its own OTP when it is not Aadhaar's), an ABHA
 * address from ABDM's suggestions or typed, and "Use these details" fills the form like Verify ABHA.
 */
// Long by design: one dialog whose steps share the transaction and the answers.
export function CreateAbha({ mobile, onUse }: { mobile: string; onUse: (v: Verified) => void }) {
  const [opened, setOpened] = useState(false);
  const [step, setStep] = useState<Step>('aadhaar');
  const [consented, setConsented] = useState(false);
  const [aadhaar, setAadhaar] = useState('');
  const [otp, setOtp] = useState('');
  const [phone, setPhone] = useState('');
  const [txnRef, setTxnRef] = useState('');
  const [note, setNote] = useState('');
  const [suggestions, setSuggestions] = useState<string[]>([]);
  // The ABHA address's domain as the clinic's server is configured (sbx in the sandbox, abdm live).
  const [domain, setDomain] = useState('abdm');
  const [address, setAddress] = useState('');
  const [result, setResult] = useState<Verified | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const once = useSingleFlight();
  const button = useRef<HTMLButtonElement>(null);
  // The OTP box on screen now (a callback ref kept in state: handlers built during render use it).
  const [otpBox, setOtpBox] = useState<HTMLInputElement | null>(null);

  const open = () => {
    setStep('aadhaar');
    setConsented(false);
    setAadhaar('');
    setOtp('');
    setPhone(mobile);
    setError(null);
    setResult(null);
    setOpened(true);
  };
  useHotkeys([['alt+E', open]], []);

  async function run(method: 'abdm.abhaCreateOtp' | 'abdm.abhaCreate' | 'abdm.abhaCreateMobile' | 'abdm.abhaCreateAddress', body: Record<string, string>) {
    // Once at a time, whatever Enter or the button does meanwhile: a second request would reach ABDM
    // twice, and its refusal (expired, too many tries) would make the server forget the transaction.
    const done = await once(async () => {
      setBusy(true);
      try {
        // All four answer with the job that asks the server; its result is read by `finished`.
        return await finished(await call(method as 'abdm.abhaCreateOtp', body as Input<'abdm.abhaCreateOtp'>));
      } finally {
        setBusy(false);
      }
    });
    if (done === SKIPPED) return null;
    const r = done;
    if (!r.ok) {
      setError(r.message ?? 'ABDM did not answer.');
      // A wrong OTP is retyped: the cursor goes back to it, digits selected, whichever box Enter was pressed in.
      if (r.code === 'wrong_otp') setTimeout(() => otpBox?.select(), 0);
      return null;
    }
    setError(null);
    setNote(r.message ?? '');
    if (r.done && r.profile && r.verificationId) {
      setResult({ verificationId: r.verificationId, method: r.method ?? 'created', profile: r.profile });
      setStep('done');
    } else if (r.needsMobileOtp) {
      setOtp('');
      setStep('mobile-otp');
    } else if (r.suggestions) {
      setSuggestions(r.suggestions);
      if (r.addressDomain) setDomain(r.addressDomain);
      setAddress(r.suggestions[0] ?? '');
      setStep('address');
    }
    return r;
  }

  async function sendOtp() {
    if (!consented) return setError('Read the consent to the patient and tick it first.');
    const problem = aadhaarProblem(aadhaar);
    if (problem) return setError(problem);
    const r = await run('abdm.abhaCreateOtp', { aadhaar });
    if (r?.txnRef) {
      setTxnRef(r.txnRef);
      // Not kept on screen once ABDM has it (asking again means typing it again).
      setAadhaar('');
      setOtp('');
      setStep('otp');
    }
  }

  const enter = (then: () => void) => (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !busy) {
      e.preventDefault();
      then();
    }
  };
  const close = () => {
    setOpened(false);
    setTimeout(() => button.current?.focus(), 0);
  };

  return (
    <>
      <Button ref={button} variant="light" onClick={open} rightSection={<Kbd size="xs">Alt+E</Kbd>}>
        Create ABHA
      </Button>
      <Modal opened={opened} onClose={close} title="Create ABHA with Aadhaar OTP" size="lg" returnFocus={false}>
        <Stack gap="xs">
          {step === 'aadhaar' && (
            <>
              <Text size="sm" fw={500}>
                Read this to the patient (ABDM consent {ABHA_ENROL_CONSENT_VERSION}):
              </Text>
              <List size="sm" spacing={2}>
                {ABHA_ENROL_CONSENT_TEXT.map((line) => (
                  <List.Item key={line}>{line}</List.Item>
                ))}
              </List>
              <Checkbox data-autofocus label="The patient agrees" checked={consented} onChange={(e) => setConsented(e.currentTarget.checked)} onKeyDown={enter(() => setConsented((c) => !c))} />
              <TextInput label="Aadhaar number (12 digits)" inputMode="numeric" autoComplete="off" value={aadhaar} onChange={(e) => setAadhaar(e.currentTarget.value)} onKeyDown={enter(() => void sendOtp())} />
              <Button w="fit-content" loading={busy} onClick={() => void sendOtp()}>
                Send Aadhaar OTP
              </Button>
            </>
          )}
          {step === 'otp' && (
            <>
              <Text size="sm">{note}</Text>
              <TextInput
                ref={setOtpBox}
                data-autofocus
                autoFocus
                label="Aadhaar OTP the patient reads out (6 digits)"
                inputMode="numeric"
                autoComplete="one-time-code"
                value={otp}
                onChange={(e) => setOtp(e.currentTarget.value)}
                onKeyDown={enter(() => void run('abdm.abhaCreate', { txnRef, otp: otp.trim(), mobile: phone.trim(), consent: ABHA_ENROL_CONSENT_VERSION }))}
              />
              <TextInput
                label="Mobile for the ABHA (10 digits)"
                inputMode="numeric"
                value={phone}
                onChange={(e) => setPhone(e.currentTarget.value)}
                onKeyDown={enter(() => void run('abdm.abhaCreate', { txnRef, otp: otp.trim(), mobile: phone.trim(), consent: ABHA_ENROL_CONSENT_VERSION }))}
              />
              <Button w="fit-content" loading={busy} onClick={() => void run('abdm.abhaCreate', { txnRef, otp: otp.trim(), mobile: phone.trim(), consent: ABHA_ENROL_CONSENT_VERSION })}>
                Create ABHA
              </Button>
            </>
          )}
          {step === 'mobile-otp' && (
            <>
              <Text size="sm">{note}</Text>
              <TextInput ref={setOtpBox} data-autofocus autoFocus label="Mobile OTP (6 digits)" inputMode="numeric" autoComplete="one-time-code" value={otp} onChange={(e) => setOtp(e.currentTarget.value)} onKeyDown={enter(() => void run('abdm.abhaCreateMobile', { txnRef, otp: otp.trim() }))} />
              <Button w="fit-content" loading={busy} onClick={() => void run('abdm.abhaCreateMobile', { txnRef, otp: otp.trim() })}>
                Verify mobile
              </Button>
            </>
          )}
          {step === 'address' && (
            <>
              {suggestions.length > 0 && (
                <Radio.Group label="ABHA address suggested by ABDM" value={suggestions.includes(address) ? address : ''} onChange={setAddress}>
                  <Stack gap={4}>
                    {suggestions.map((s) => (
                      <Radio key={s} value={s} label={`${s}@${domain}`} />
                    ))}
                  </Stack>
                </Radio.Group>
              )}
              <TextInput data-autofocus autoFocus label="ABHA address (or type another)" value={address} onChange={(e) => setAddress(e.currentTarget.value)} onKeyDown={enter(() => void run('abdm.abhaCreateAddress', { txnRef, abhaAddress: address.trim() }))} />
              <Button w="fit-content" loading={busy} onClick={() => void run('abdm.abhaCreateAddress', { txnRef, abhaAddress: address.trim() })}>
                Use this ABHA address
              </Button>
            </>
          )}
          {step === 'done' && result && (
            <>
              {note && <Text size="sm">{note}</Text>}
              <Profile
                v={result}
                onUse={() => {
                  setOpened(false);
                  onUse(result);
                }}
              />
            </>
          )}
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

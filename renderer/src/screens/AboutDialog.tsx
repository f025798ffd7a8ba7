import { List, Modal, Stack, Text, Title } from '@mantine/core';

/** Set at build time from package.json (electron.vite.config.ts). */
declare const __APP_VERSION__: string;

/**
 * The app's version and what its licences ask to be said: the reference lists' sources (GODL-India
 * requires attribution) and the fonts' licence. Addresses are shown as text, not links: the app
 * opens no outside pages (see README, "Desktop app security").
 */
export function AboutDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="About Clinic Workstation" size="lg">
      <Stack gap="sm">
        <Text data-testid="app-version">Version {__APP_VERSION__}</Text>
        <Title order={5}>Reference data shipped with the app (retrieved 2026-11-21)</Title>
        <List size="sm" spacing="xs">
          <List.Item>
            States, districts and sub-districts: Local Government Directory (LGD), Ministry of Panchayati Raj, Government of India. Licensed under the
            Government Open Data License – India (GODL-India, www.data.gov.in/Godl).
          </List.Item>
          <List.Item>
            Pincodes: Department of Posts, Ministry of Communications, Government of India, All India Pincode Directory till last month, Open Government
            Data (OGD) Platform India, www.data.gov.in/resource/all-india-pincode-directory-till-last-month. Licensed under GODL-India. Adapted: columns
            the app does not use were left out.
          </List.Item>
          <List.Item>
            ICD-10-CM: US Centers for Disease Control and Prevention, National Center for Health Statistics, with CMS; a work of the US Government, in
            the public domain. ICD-10-CM is the US clinical modification of the WHO's ICD-10 (© World Health Organization), published with its
            permission.
          </List.Item>
        </List>
        <Title order={5}>Fonts</Title>
        <Text size="sm">
          Noto Sans and Noto Sans Devanagari, copyright 2012 Google Inc. and others, licensed under the SIL Open Font License, Version 1.1
          (openfontlicense.org). They are embedded in printed PDFs.
        </Text>
      </Stack>
    </Modal>
  );
}

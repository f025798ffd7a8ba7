import { AppShell, Badge, Button, Group, Kbd, NavLink, Stack, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { Suspense, useState } from 'react';
import { NavLink as RouterLink, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { hasPermission, type Permission } from '../../../shared/permissions';
import { useSession } from '../session';
import { UnsavedChangesGuard, useConfirmLeave } from '../unsaved';
import { ClockWarning } from '../sync/ClockWarning';
import { SyncIndicator } from '../sync/SyncIndicator';
import { PatientFinder } from '../reception/PatientFinder';
import { ReceptionScreen } from '../reception/ReceptionScreen';
import { AboutDialog } from './AboutDialog';
import { ChangePasswordDialog } from './ChangePasswordDialog';
import { Forbidden } from './Forbidden';
import { AuditScreen, BackupsScreen, BillingScreen, DoctorScreen, DoctorsScreen, FacilityScreen, LabScreen, PharmacyScreen, ReportsScreen, ScreenLoader, StaffScreen, StockScreen, SyncScreen } from './lazy-screens';

interface Section {
  path: string;
  label: string;
  key: string;
  /** Null: every logged-in user. */
  permission: Permission | null;
  element: React.ReactNode;
}

const SECTIONS: Section[] = [
  { path: '/reception', label: 'Reception', key: 'F1', permission: 'patients.read', element: <ReceptionScreen /> },
  { path: '/doctor', label: 'Doctor', key: 'F2', permission: 'consultations.write', element: <DoctorScreen /> },
  { path: '/billing', label: 'Billing', key: 'F3', permission: 'billing.read', element: <BillingScreen /> },
  { path: '/facility', label: 'Facility', key: 'F4', permission: 'facility.manage', element: <FacilityScreen /> },
  { path: '/staff', label: 'Staff', key: 'F5', permission: 'staff.manage', element: <StaffScreen /> },
  { path: '/doctors', label: 'Doctors', key: 'F6', permission: 'doctors.manage', element: <DoctorsScreen /> },
  { path: '/audit', label: 'Audit log', key: 'F7', permission: 'audit.read', element: <AuditScreen /> },
  { path: '/sync', label: 'Sync', key: 'F8', permission: 'settings.manage', element: <SyncScreen /> },
  { path: '/backups', label: 'Backups', key: 'F9', permission: 'backups.manage', element: <BackupsScreen /> },
  { path: '/reports', label: 'Reports', key: 'F10', permission: 'reports.read', element: <ReportsScreen /> },
  { path: '/pharmacy', label: 'Pharmacy', key: 'F11', permission: 'pharmacy.dispense', element: <PharmacyScreen /> },
  { path: '/stock', label: 'Stock', key: 'Shift+F11', permission: 'pharmacy.manage', element: <StockScreen /> },
  { path: '/lab', label: 'Lab', key: 'F12', permission: 'labs.work', element: <LabScreen /> },
];

export function Shell() {
  return (
    <UnsavedChangesGuard>
      <ShellScreens />
    </UnsavedChangesGuard>
  );
}

function ShellScreens() {
  const { user, facilityName, logout, lock, mustChangePassword } = useSession();
  const confirmLeave = useConfirmLeave();
  const navigate = useNavigate();
  const [changing, setChanging] = useState(false);
  const [about, setAbout] = useState(false);
  // The session's flag is read once at login; after a change here it no longer applies.
  const [changedHere, setChangedHere] = useState(false);
  const mustChange = mustChangePassword && !changedHere;
  const location = useLocation();
  const allowed = (s: Section) => s.permission === null || hasPermission(user.roles, s.permission);
  const visible = SECTIONS.filter(allowed);

  useHotkeys([
    ['mod+L', () => lock()],
    ...visible.map((s): [string, () => void] => [s.key, () => confirmLeave(() => void navigate(s.path))]),
  ], []);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 0 }} padding="md">
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between">
          <Title order={4}>{facilityName ?? 'Clinic Workstation'}</Title>
          <UserBar showSync={!mustChange} onChangePassword={() => setChanging(true)} onAbout={() => setAbout(true)} />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        <Stack gap={2}>
          {visible.map((s) => (
            <NavLink
              key={s.path}
              component={RouterLink}
              to={s.path}
              label={s.label}
              active={location.pathname === s.path}
              onClick={(e) => {
                e.preventDefault();
                if (location.pathname !== s.path) confirmLeave(() => void navigate(s.path));
              }}
              rightSection={<Kbd size="xs">{s.key}</Kbd>}
            />
          ))}
        </Stack>
      </AppShell.Navbar>
      {!mustChange && <PatientFinder />}
      <ChangePasswordDialog
        opened={changing || mustChange}
        required={mustChange}
        onClose={() => setChanging(false)}
        onChanged={() => {
          setChanging(false);
          setChangedHere(true);
        }}
        onLogout={() => void logout()}
      />
      <AboutDialog opened={about} onClose={() => setAbout(false)} />
      <AppShell.Main>
        {!mustChange && <ClockWarning />}
        {/* Until the new password is chosen the service answers nothing else: no screen asks. */}
        {!mustChange && (
          <Suspense fallback={<ScreenLoader />}>
            <Routes>
              {SECTIONS.map((s) => (
                <Route key={s.path} path={s.path} element={allowed(s) ? s.element : <Forbidden section={s.label} />} />
              ))}
              <Route path="*" element={<Navigate to={visible[0]?.path ?? '/reception'} replace />} />
            </Routes>
          </Suspense>
        )}
      </AppShell.Main>
    </AppShell>
  );
}

/** Who is logged in, and what they can do from any screen: password, About, lock, log out. */
function UserBar({ showSync, onChangePassword, onAbout }: { showSync: boolean; onChangePassword: () => void; onAbout: () => void }) {
  const { user, logout, lock } = useSession();
  const confirmLeave = useConfirmLeave();
  return (
    <Group gap="sm">
      {showSync && <SyncIndicator canManage={hasPermission(user.roles, 'settings.manage')} />}
      <Text size="sm" data-testid="current-user">
        {user.fullName}
      </Text>
      {user.roles.map((r) => (
        <Badge key={r} variant="light">
          {r}
        </Badge>
      ))}
      <Button size="xs" variant="subtle" onClick={onChangePassword}>
        Change my password
      </Button>
      <Button size="xs" variant="subtle" onClick={onAbout}>
        About
      </Button>
      <Button size="xs" variant="default" onClick={lock} title="Lock (Ctrl+L)">
        Lock
      </Button>
      <Button size="xs" variant="default" onClick={() => confirmLeave(() => void logout())}>
        Log out
      </Button>
    </Group>
  );
}
